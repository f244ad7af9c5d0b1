from pipeline.text import clean_text, decode_bytes, normalise, sentences, split_sentences, strip_read_more, text_hash


def test_clean_text_drops_markup_scripts_and_controls():
    raw = "<p>Great &amp; <b>kind</b></p><script>alert(1)</script>\x1b[31m staff\u200b!\x00"
    assert clean_text(raw) == "Great & kind [31m staff!"


def test_clean_text_keeps_escaped_markup_as_plain_text():
    assert clean_text("I typed &lt;b&gt; by mistake") == "I typed <b> by mistake"


def test_clean_text_bounds_huge_input():
    assert len(clean_text("word " * 1_000_000, max_chars=5000)) <= 5000


def test_decode_bytes_handles_bom_utf8_and_cp1252():
    assert decode_bytes("\ufeffcafé".encode("utf-8")) == "café"
    assert decode_bytes("café".encode("cp1252")) == "café"
    assert decode_bytes("café".encode("utf-16")) == "café"


def test_normalise_and_hash_ignore_case_punctuation_and_accents():
    assert normalise("Café,  GREAT staff!!") == "cafe great staff"
    assert text_hash("Great staff!") == text_hash("great STAFF")
    assert text_hash("Great staff") != text_hash("Great stuff")


def test_sentences_keep_titles_and_initials_together():
    text = "Dr. Lee was great. Patsy R. agreed!\nWould come back"
    assert sentences(text) == ["Dr. Lee was great.", "Patsy R. agreed!", "Would come back"]
    assert all(text[s:e].strip() == text[s:e] for s, e in split_sentences(text))


def test_sentence_spans_skip_unicode_space_and_parts_without_letters_or_digits():
    text = "\u3000Great care.\u00a0 _ . \u0663 doctors! ... \x1cSee Dr. Lee\u2003\n"
    assert [text[s:e] for s, e in split_sentences(text)] == ["Great care.", "\u0663 doctors!", "See Dr. Lee"]
    assert split_sentences(text) == [(1, 12), (18, 28), (34, 45)]


def test_strip_read_more():
    assert strip_read_more("They were kind and… Read more") == "They were kind and"
    assert strip_read_more("Nothing to strip.") == "Nothing to strip."


def test_inline_tags_leave_no_space_before_punctuation():
    # Issue 9, item 16: stripping "</a>" left "helpful !".
    assert clean_text('Staff were <a href="x">helpful</a>! <b>Great</b> care.<br>Thanks<p>Bye') == (
        "Staff were helpful! Great care. Thanks Bye")
