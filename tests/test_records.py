"""records: a claim as the flat row extract stages."""
import subprocess
import sys

from pipeline.records import ClaimRow, claim_record
from pipeline.schema import CLAIMS

ROW_COLUMNS = CLAIMS.names(added_by=("",))


def test_claim_record_flattens_meta_and_text_path():
    claim = ClaimRow(**{name: None for name in ROW_COLUMNS})
    record = claim_record(claim, meta={"category": "politics"}, text_path="outputs/texts/a.txt")
    assert list(record)[: len(ROW_COLUMNS)] == ROW_COLUMNS
    assert record["meta_category"] == "politics" and record["text_path"] == "outputs/texts/a.txt"
    assert "text_path" not in claim_record(claim)  # only when the article's text was saved


def test_a_worker_process_imports_neither_pandas_nor_pyarrow():
    """A worker's start is paid once per process; pandas and pyarrow are the driver's."""
    code = ("import sys, pipeline.processing, pipeline.nlp; "
            "print(sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
