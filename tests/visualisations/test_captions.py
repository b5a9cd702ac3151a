"""Which captions a printed view keeps (`visualisations.captions`)."""

from __future__ import annotations

from visualisations.captions import Box, caption_box, clear_captions, text_width


def test_the_better_ranked_of_two_clashing_captions_is_kept() -> None:
    a, b, c = Box(0, 0, 50, 10), Box(40, 5, 90, 15), Box(200, 0, 250, 10)
    assert clear_captions([("a", a), ("b", b), ("c", c)], {}) == {"a", "c"}
    assert clear_captions([("b", b), ("a", a), ("c", c)], {}) == {"b", "c"}


def test_a_caption_over_another_node_is_left_out_unless_it_may_lie_over_nodes() -> None:
    caption = Box(0, 20, 100, 30)
    shapes = {"own": Box(40, 0, 60, 18), "other": Box(80, 22, 120, 60)}
    assert clear_captions([("own", caption)], shapes) == set()
    assert clear_captions([("own", caption)], shapes, over_nodes={"own"}) == {"own"}
    assert clear_captions([("own", caption)], {"own": shapes["own"]}) == {"own"}  # its own shape


def test_nodes_far_apart_in_a_large_drawing_all_keep_their_captions() -> None:
    ranked, shapes = [], {}
    for i in range(400):
        x, y = (i % 20) * 300.0, (i // 20) * 100.0
        shapes[f"n{i}"] = Box(x - 10, y - 10, x + 10, y + 10)
        ranked.append((f"n{i}", caption_box("A claim that is long enough", x, y + 22, 11)))
    assert len(clear_captions(ranked, shapes)) == 400


def test_estimated_widths_grow_with_the_text_and_with_bold() -> None:
    assert text_width("Moldova", 11) < text_width("Moldova is governed by", 11)
    assert text_width("WWW", 11) > text_width("iii", 11)
    assert text_width("Moldova", 11, bold=True) > text_width("Moldova", 11)
