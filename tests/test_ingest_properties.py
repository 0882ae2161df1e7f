"""Property tests: ingest and metadata never raise on messy input, offsets slice back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.ingest import read_records
from dateline.ingest.decode import decode_bytes, sniff_binary
from dateline.ingest.metadata import enrich_metadata
from dateline.ingest.records import read_jsonl_text
from dateline.models import Article, IngestError

_openings = st.sampled_from(
    ["MOSCOW, May 5 (Xinhua) -- ", "Moscow, ", "WASHINGTON (AP) — ", " date 2019-05-05 ", ""]
)


@settings(max_examples=150, deadline=None)
@given(opening=_openings, body=st.text(max_size=300))
def test_records_and_metadata_never_raise(opening, body):
    (item,) = read_records([{"id": "p", "text": opening + body}])
    assert isinstance(item, Article | IngestError)
    if isinstance(item, Article):
        enriched = enrich_metadata(item)
        credit = enriched.dateline
        if credit is not None:
            assert enriched.text[credit.start : credit.end] == credit.text
        assert enriched.text == item.text


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_decoding_never_raises(data):
    sniff_binary(data)
    decoded = decode_bytes(data)
    assert decoded is None or isinstance(decoded, str)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_jsonl_never_raises(text):
    for item in read_jsonl_text(text, "x.jsonl"):
        assert isinstance(item, Article | IngestError)
