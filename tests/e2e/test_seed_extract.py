"""End to end on seeds/ with the trained model: the rows issue 2 names, citations, outputs, bad input."""
import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.extract import extract
from pipeline.io.inputs import OUTPUT_MARKER, InputOptions
from pipeline.schema import CLAIMS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def run(tmp_path_factory, nlp_model):
    out = tmp_path_factory.mktemp("out")
    return extract([SEEDS], out, nlp=nlp_model), out


@pytest.fixture(scope="module")
def claims(run):
    return run[0].claims


def rows(claims, doc_prefix, text):
    return claims[claims["doc_id"].str.startswith(doc_prefix) & (claims["text"] == text)]


def test_nine_million_in_2017_18_budget(claims):
    row = rows(claims, "000_", "£9 million").iloc[0]
    assert row["value"] == 9_000_000.0 and row["unit"] == "GBP" and row["kind"] == "money"
    assert (row["council_code"], row["council_name"]) == ("E10000020", "Norfolk County Council")
    assert (row["period_start"], row["period_end"]) == ("2017-04-01", "2018-03-31")


def test_change_from_57_4_to_73_7_million(claims):
    low, high = rows(claims, "003_", "£57.4 million").iloc[0], rows(claims, "003_", "£73.7 million").iloc[0]
    assert (low["value"], high["value"]) == (57_400_000.0, 73_700_000.0)
    assert low["change_id"] and low["change_id"] == high["change_id"]
    assert (low["role"], high["role"]) == ("from", "to")


@pytest.mark.parametrize("prefix,text", [
    ("001_", "£15"),   # "From £15 / month": a subscription price, not the article's claim
    ("001_", "£12"),   # "From £12 / month"
    ("001_", "60,000"),  # "Archive of more than 60,000 articles" in the membership block
    ("003_", "2014"),  # "the Care Act 2014"
    ("003_", "20"),    # "20 years of practice" in a reader comment
    ("000_", "21"),    # the comment's date
    ("004_", "1"),     # list numbering
    ("001_", "17"),    # "17-year-olds", "aged 17"
])
def test_not_rows(claims, prefix, text):
    assert rows(claims, prefix, text).empty


def test_every_row_cites_its_source(claims):
    for row in claims.to_dict("records"):
        source = Path(row["source_path"]).read_text(encoding="utf-8")
        assert source[row["char_start"] : row["char_end"]] == row["text"]
        assert source[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
        offset = row["sentence_offset"]
        assert row["sentence"][offset : offset + len(row["text"])] == row["text"]
        line = source[: row["char_start"]].count("\n") + 1
        assert row["line"] == line


def test_one_row_per_number_in_document_order(claims):
    for _, group in claims.groupby("doc_id"):
        assert list(group["char_start"]) == sorted(group["char_start"])
    assert not claims.duplicated(["doc_id", "char_start"]).any()
    assert claims["claim_id"].is_unique


def test_outputs_hold_the_same_rows(run):
    result, out = run
    csv = pd.read_csv(out / "claims.csv", dtype=str)
    parquet = pd.read_parquet(out / "claims.parquet")
    jsonl = [json.loads(line) for line in (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(csv.columns) == CLAIMS.order(list(csv.columns), stages=("", "review", "consistency"))
    assert [c for c in CLAIMS.names() if c not in csv.columns] == []
    assert list(csv["claim_id"]) == list(parquet["claim_id"]) == [r["claim_id"] for r in jsonl] == list(result.claims["claim_id"])
    assert parquet["value"].dtype == "float64"
    errors = pd.read_csv(out / "errors.csv")
    assert errors.empty  # every seed produced rows
    assert len(pd.read_csv(out / "articles.csv")) == 5


def test_claim_ids_are_stable_across_runs(run, nlp_model, tmp_path):
    again = extract([SEEDS], tmp_path / "again", nlp=nlp_model)
    assert list(again.claims["claim_id"]) == list(run[0].claims["claim_id"])


def test_bad_inputs_are_reported_and_the_rest_goes_on(nlp_model, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "003_b9c808a4db69aa8d.txt", inputs)
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 4)
    previous = tmp_path / "out"
    result = extract([inputs], previous, nlp=nlp_model)
    assert result.failed == 2 and result.inputs == 3 and len(result.articles) == 1
    errors = pd.read_csv(previous / "errors.csv")
    assert sorted(Path(p).name for p in errors["source_path"]) == ["binary.txt", "empty.txt"]
    assert errors["reason"].str.len().min() > 5
    assert len(pd.read_csv(previous / "claims.csv")) == len(result.claims) > 0


def test_interrupted_run_leaves_previous_outputs(nlp_model, tmp_path):
    out = tmp_path / "out"
    extract([SEEDS / "002_e17c2000e115b27d.txt"], out, nlp=nlp_model)
    before = (out / "claims.csv").read_bytes()

    def interrupt(_doc_id):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        extract([SEEDS], out, nlp=nlp_model, on_article=interrupt)
    assert (out / "claims.csv").read_bytes() == before
    # nothing hidden left but the output marker and the lock file (kept on purpose: unlinking a lock on release races)
    assert not [p for p in out.iterdir() if p.name.startswith(".claims") and p.name not in (OUTPUT_MARKER, ".claims.lock")]


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory, nlp_model):
    out = tmp_path_factory.mktemp("fixtures-out")
    return extract([FIXTURES], out, nlp=nlp_model), out


def test_every_input_format_cites_a_file_a_reviewer_can_open(fixture_run):
    result, out = fixture_run
    formats = {Path(p.split(":")[0]).suffix for p in result.claims["source_path"]}
    assert formats == {".html", ".csv", ".jsonl", ".txt"}
    for row in result.claims.to_dict("records"):
        if isinstance(row["text_path"], str):  # the saved text: UTF-8 whatever the input's encoding
            source = Path(row["text_path"]).read_text(encoding="utf-8")
        else:
            source = Path(row["source_path"]).read_bytes().decode(row["encoding"])
        assert source[row["char_start"] : row["char_end"]] == row["text"], row


def test_mojibake_keeps_original_text_with_repaired_value(fixture_run):
    claims = fixture_run[0].claims
    row = claims[(claims["doc_id"] == "a3") & (claims["text"] == "Â£69m")].iloc[0]
    assert row["value"] == 69_000_000.0 and row["unit"] == "GBP"
    # the sentence is cut from the original (mojibake) text too, so the offset lands on the number
    offset = row["sentence_offset"]
    assert row["sentence"][offset : offset + len(row["text"])] == "Â£69m"


def test_windows_1252_file_gives_the_same_values_as_its_utf8_original(nlp_model, tmp_path):
    windows = FIXTURES / "windows"
    cp1252 = extract([windows / "cp1252_copy.txt"], tmp_path / "cp1252", nlp=nlp_model).claims
    utf8 = extract([windows / "utf8_original.txt"], tmp_path / "utf8", nlp=nlp_model).claims
    assert list(cp1252["value"]) == list(utf8["value"]) and len(utf8) > 0
    assert set(cp1252["encoding"]) == {"cp1252"}


def test_repeated_texts_are_duplicates_without_rows(fixture_run):
    # mojibake.txt, windows/cp1252_copy.txt and windows/utf8_original.txt read as the same text
    result, out = fixture_run
    articles = pd.read_csv(out / "articles.csv", dtype=str).set_index("doc_id")
    for doc_id in ("windows_cp1252_copy", "windows_utf8_original"):
        assert (articles.loc[doc_id, "status"], articles.loc[doc_id, "duplicate_of"]) == ("duplicate", "mojibake")
        assert doc_id not in set(result.claims["doc_id"])
    assert articles.loc["a1-2", "id_clash_of"] == "a1" and pd.isna(articles.loc["a1-2", "duplicate_of"])
    errors = pd.read_csv(out / "errors.csv", dtype=str)
    duplicates = errors[errors["status"] == "duplicate"]
    assert sorted(duplicates["doc_id"]) == ["windows_cp1252_copy", "windows_utf8_original"]
    assert result.duplicate_count == 2


def test_malformed_lines_are_accounted_for(fixture_run):
    result, out = fixture_run
    errors = pd.read_csv(out / "errors.csv")
    failed = set(errors.loc[errors["status"] == "failed", "source_path"])
    assert f"{FIXTURES / 'articles.jsonl'}:2".endswith(next(p for p in failed if p.endswith("articles.jsonl:2")))
    assert any(p.endswith("binary.txt") for p in failed) and any(p.endswith("empty.txt") for p in failed)
    # the good lines either side of the malformed one were processed
    assert {"a1", "a3"} <= set(result.claims["doc_id"])
    assert result.inputs == len(result.articles) + len(errors[errors["status"].isin(["failed", "skipped"])])
    assert set(errors["status"]) == {"failed", "skipped", "duplicate"}  # notes.md: skipped


def test_duplicates_skip_the_nlp(nlp_model, tmp_path, monkeypatch):
    import pipeline.processing as extract_module  # prepare_doc is called where batches are processed

    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEEDS / "002_e17c2000e115b27d.txt", inputs / name)
    prepared = []
    real = extract_module.prepare_doc
    monkeypatch.setattr(extract_module, "prepare_doc", lambda nlp, article: prepared.append(article.doc_id) or real(nlp, article))
    result = extract([inputs], tmp_path / "out", nlp=nlp_model)
    assert prepared == ["a"] and result.article_count == 2 and result.duplicate_count == 1
    assert set(result.claims["doc_id"]) == {"a"}


def test_output_folder_is_marked_and_not_read_back(nlp_model, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "004_404e55d8bc805d55.txt", inputs)
    first = extract([inputs], inputs / "outputs", nlp=nlp_model)  # the outputs inside the input folder
    assert json.loads((inputs / "outputs" / OUTPUT_MARKER).read_text())["tool"] == "council-claims"
    again = extract([inputs], inputs / "outputs", nlp=nlp_model)
    assert again.article_count == first.article_count == 1 and again.claim_count == first.claim_count
    [skipped] = again.failures
    assert skipped.status == "skipped" and skipped.source_path == str(inputs / "outputs")


def test_csv_title_figures_are_claims_citing_the_saved_text(nlp_model, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,title,text\n" + ("y" * 300) + ',Norfolk council to borrow £12m,"The county council agreed the '
                    'loan on Tuesday. Councillors said repayments would cost £600,000 a year."\n', encoding="utf-8")
    result = extract([path], tmp_path / "out", nlp=nlp_model)  # a 300-character id: no "File name too long"
    claims = result.claims
    headline = claims[claims["text"] == "£12m"].iloc[0]
    assert headline["section"] == "headline" and headline["line"] == 1
    saved = Path(headline["text_path"]).read_text(encoding="utf-8")
    assert saved.startswith("Norfolk council to borrow £12m\n\n")
    for row in claims.to_dict("records"):
        assert saved[row["char_start"]:row["char_end"]] == row["text"]
    assert len(headline["doc_id"]) <= 100 and headline["meta_id"] == "y" * 300


def test_published_option_dates_undated_articles(nlp_model, tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("Bin fees rise\n\nSomerset County Council raised garden waste fees by 8% last year.\n", encoding="utf-8")
    result = extract([path], tmp_path / "out", nlp=nlp_model, options=InputOptions(published=date(2019, 6, 3)))
    row = result.claims[result.claims["text"] == "8%"].iloc[0]
    assert (row["published"], row["published_basis"]) == ("2019-06-03", "given")
    assert (row["period_start"], row["period_end"]) == ("2018-01-01", "2018-12-31")
    undated = extract([path], tmp_path / "out2", nlp=nlp_model).claims
    assert undated[undated["text"] == "8%"].iloc[0]["published_basis"] == "none"
