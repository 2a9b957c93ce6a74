"""reviews.csv cut anywhere by a crash or a full disk: nothing later is swallowed, nothing is silently deleted."""
import pytest

from pipeline.tables.decisions import REVIEWS_FILE, ReviewDecision, ReviewError, ReviewStore, read_reviews
from pipeline.tables.torn import complete_length, set_aside_torn

HEADER = b"claim_id,status,note\r\n"


@pytest.mark.parametrize("data,whole", [
    (HEADER + b"a,accepted,\r\n", None),
    (HEADER + b"a,accepted,ok", len(HEADER)),                       # cut before the newline
    (HEADER + b'a,note,"the figure is', len(HEADER)),               # cut inside a quoted field
    (HEADER + b'a,note,"line one\r\nline', len(HEADER)),            # inside quotes, after a newline in it
    (HEADER + b'a,note,"open\r\n\r\nb,accepted,\r\n', len(HEADER)),  # old repair: newline swallowed by the quote
    (HEADER + b'a,note,"say ""hi"""\r\n', None),                   # escaped quotes
    (HEADER + b'a,note,5" pipe\r\n', None),                         # a bare quote inside an unquoted field
    (HEADER + b'a,note,"two\r\nlines"\r\n', None),
    (b"claim_id,sta", 0),
    (b"", None),
])
def test_complete_length(data, whole):
    assert complete_length(data) == (len(data) if whole is None else whole)


def decide(claim_id, status, note=""):
    return ReviewDecision(claim_id=claim_id, status=status, note=note, reviewer="ann")


@pytest.mark.parametrize("tear", [
    lambda row: row[: row.index(b'"') + 5],  # inside the quoted note
    lambda row: row[: row.index(b'"') + 1],  # right after the opening quote
    lambda row: row[:-2],                     # just before the newline
    lambda row: row[:-1],                     # between \r and \n
    lambda row: row[:3],                      # in the claim id
])
def test_decision_after_any_tear_is_recorded_and_reads_back(tmp_path, tear):
    path = tmp_path / REVIEWS_FILE
    store = ReviewStore(path)
    store.append(decide("a", "accepted"))
    whole = path.read_bytes()
    store.append(decide("b", "note", note="quoted, because of this comma"))
    row = path.read_bytes()[len(whole):]
    path.write_bytes(whole + tear(row))  # the disk filled mid-row
    saved = store.append(decide("c", "rejected", note="after the tear"))
    frame = read_reviews(path)
    assert list(frame["claim_id"]) == ["a", "c"]
    assert frame.iloc[1]["note"] == "after the tear" and frame.iloc[1]["timestamp"] == saved.timestamp
    assert store.torn is not None and store.torn.read_bytes() == tear(row)  # kept, not deleted
    assert store.torn.name.startswith("reviews.csv.torn-")


def test_reading_skips_an_open_quote_to_the_end(tmp_path):
    path = tmp_path / REVIEWS_FILE
    ReviewStore(path).append(decide("a", "accepted"))
    with open(path, "ab") as handle:
        handle.write(b'b,note,,,,,,,,,"cut here')
    assert list(read_reviews(path)["claim_id"]) == ["a"]


def test_set_aside_torn_is_a_no_op_on_a_whole_file(tmp_path):
    path = tmp_path / REVIEWS_FILE
    ReviewStore(path).append(decide("a", "accepted"))
    before = path.read_bytes()
    assert set_aside_torn(path) is None and path.read_bytes() == before
    assert set_aside_torn(tmp_path / "missing.csv") is None


def test_a_decision_that_does_not_read_back_is_an_error(tmp_path, monkeypatch):
    """The read-after-write check: what is reported recorded is on disk as written."""
    path = tmp_path / REVIEWS_FILE
    store = ReviewStore(path)
    store.append(decide("a", "accepted"))
    import pipeline.tables.decisions as decisions

    real_row = decisions.safe_row
    monkeypatch.setattr(decisions, "safe_row", lambda row: real_row(row) | {"note": "changed on the way"})
    calls = []
    original = ReviewStore._check_written

    def check(self, start, header, written, *, skip_header):
        calls.append(1)
        written = [dict(r, note="what we meant") for r in written]
        return original(self, start, header, written, skip_header=skip_header)

    monkeypatch.setattr(ReviewStore, "_check_written", check)
    with pytest.raises(ReviewError, match="do not read back as written"):
        store.append(decide("b", "rejected"))
    assert calls
