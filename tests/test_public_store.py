import json
import threading

from pipeline.publish.export import render_fragment, write_export
from storage.public import read_public_store, write_public_store

META = {"publish_id": "p1", "published_at": "2026-11-25T10:00:00+00:00", "disclosure_label": "Selected testimonials",
        "practice_name": "Sunrise & Co", "total_reviews": 10, "rated_reviews": 8, "average_rating": 3.9,
        "testimonial_count": 1}
SUMMARY = [{"source_label": "Directory", "source_url": "https://directory.example.com/s", "location": "tampa",
            "review_count": 10, "rated_count": 8, "average_rating": 3.9, "stated_count": 87, "stated_rating": 4.3}]
HOSTILE = '<img src=x onerror="alert(1)">"quoted" & </script><script>alert(2)</script>'


def make_testimonial(**extra):
    row = {"id": "t_1", "excerpt": HOSTILE, "attribution": "Patsy <b>R.</b>", "rating": 5.0,
           "source_label": "Form", "source_url": None, "location": "tampa", "location_name": "Tampa",
           "tags": ["staff"], "published_at": META["published_at"], "position": 1}
    row.update(extra)
    return row


def test_only_allowlisted_fields_reach_the_public_store(tmp_path):
    path = tmp_path / "published.db"
    leaky = make_testimonial(email="patsy@example.com", phone="813-555-0101", review_id="r1", text="full text")
    write_public_store(path, [leaky], SUMMARY, {**META, "internal_db": "/secret"})
    store = read_public_store(path)
    assert set(store["testimonials"][0]) == {"id", "excerpt", "attribution", "rating", "source_label",
                                             "source_url", "location", "location_name", "tags", "disclosure",
                                             "published_at", "position", "provider"}
    raw = path.read_bytes()
    assert b"patsy@example.com" not in raw and b"full text" not in raw and b"/secret" not in raw


def test_publish_swaps_the_file_atomically_for_open_readers(tmp_path):
    path = tmp_path / "published.db"
    write_public_store(path, [make_testimonial()], SUMMARY, META)
    from storage.db import open_readonly

    reader = open_readonly(path)
    write_public_store(path, [], SUMMARY, {**META, "testimonial_count": 0})
    assert reader.execute("SELECT count(*) FROM testimonials").fetchone()[0] == 1  # old snapshot, whole
    reader.close()
    assert read_public_store(path)["testimonials"] == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".published-")]


def test_concurrent_readers_never_see_half_a_publish(tmp_path):
    path = tmp_path / "published.db"
    write_public_store(path, [make_testimonial(id=f"t_{i}", position=i) for i in range(50)], SUMMARY, META)
    seen, stop = set(), threading.Event()

    def read_loop():
        while not stop.is_set():
            seen.add(len(read_public_store(path)["testimonials"]))

    thread = threading.Thread(target=read_loop)
    thread.start()
    for n in (10, 50, 10, 50, 10):
        write_public_store(path, [make_testimonial(id=f"t_{i}", position=i) for i in range(n)], SUMMARY, META)
    stop.set()
    thread.join()
    assert seen <= {10, 50}


def test_export_escapes_every_text_and_labels_the_selection(tmp_path):
    write_export(tmp_path, [make_testimonial()], SUMMARY, META)
    fragment = (tmp_path / "testimonials.html").read_text()
    assert "<img" not in fragment and "<script>" not in fragment and "<b>" not in fragment
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in fragment
    assert 'aria-label="Selected testimonials"' in fragment
    assert 'href="https://directory.example.com/s"' in fragment
    data = json.loads((tmp_path / "testimonials.json").read_text())
    assert data["testimonials"][0]["excerpt"] == HOSTILE and data["label"] == "Selected testimonials"
    assert "</script>" not in (tmp_path / "testimonials.json").read_text()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["total_reviews"] == 10 and summary["sources"][0]["stated_count"] == 87


def test_fragment_without_listing_links_still_labels(tmp_path):
    html = render_fragment([], [], META)
    assert "Selected testimonials" in html and "See all reviews" not in html


def test_export_writes_the_widget_in_static_mode_and_a_sample_page(tmp_path):
    write_export(tmp_path, [make_testimonial()], SUMMARY, META)
    widget = (tmp_path / "widget.js").read_text()
    assert 'var MODE = "static"' in widget and "__PLAUDIT_MODE__" not in widget
    sample = (tmp_path / "example.html").read_text()
    assert '<script src="widget.js" defer></script>' in sample and sample.count("data-plaudit-testimonials") == 3
    assert "Sunrise &amp; Co" in sample
