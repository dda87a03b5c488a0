"""Ruled-grid detection, stage by stage, on drawn tables with known answers."""

import cv2
import numpy as np
import pytest

from gongwen.ocr import grid


def drawn_table(merge_right_column=True, broken=False, skip_border=None):
    """A 4-row × 3-column table on an A4-at-150-dpi page; the right column of rows 1-3 merged."""
    img = np.full((1754, 1240, 3), 255, np.uint8)
    xs, ys = [100, 400, 700, 1100], [200, 300, 450, 600, 750]
    for y in ys:
        if broken and y == 450:  # a ruling the scanner broke in two
            cv2.line(img, (xs[0], y), (600, y), (0, 0, 0), 3)
            cv2.line(img, (606, y), (xs[-1], y), (0, 0, 0), 3)
            continue
        x1 = xs[2] if merge_right_column and y in (450, 600) else xs[-1]
        cv2.line(img, (xs[0], y), (x1, y), (0, 0, 0), 3)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), (0, 0, 0), 3)
    cv2.putText(img, "TEXT 123", (120, 260), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    return img


def test_masks_keep_rulings_and_drop_text():
    h, v = grid.line_masks(drawn_table())
    assert h[200, 250] and v[250, 400]
    assert not h[245, 160] and not v[245, 160]  # inside the word TEXT


def test_strokes_join_a_broken_ruling():
    h, v = grid.line_masks(drawn_table(merge_right_column=False, broken=True))
    hs, vs = grid.strokes(h, v)
    assert len(hs) == 5 and len(vs) == 4
    assert any(abs(s.pos - 450) < 5 and s.x0 < 110 and s.x1 > 1090 for s in hs)


def test_intersections_of_a_full_grid():
    h, v = grid.line_masks(drawn_table(merge_right_column=False))
    hs, vs = grid.strokes(h, v)
    assert len(grid.intersections(hs, vs, tol=8)) == 5 * 4


def test_cells_with_a_row_span():
    (table,) = grid.find_tables(drawn_table())
    assert (table.n_rows, table.n_cols) == (4, 3)
    merged = [c for c in table.cells if c.row_span > 1]
    assert len(merged) == 1
    assert (merged[0].row, merged[0].col, merged[0].row_span, merged[0].col_span) == (1, 2, 3, 1)
    assert len(table.cells) == 4 * 3 - 2


def test_text_alone_is_no_table():
    img = np.full((800, 800, 3), 255, np.uint8)
    for y in range(100, 700, 60):
        cv2.putText(img, "LINE OF TEXT", (50, y), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
    assert grid.find_tables(img) == []


def test_settings_are_validated():
    with pytest.raises(ValueError, match="min_ruling"):
        grid.GridSettings(min_ruling=2.0)
    with pytest.raises(ValueError, match="odd"):
        grid.GridSettings(binarize_block=10)


def test_debug_drawing_has_every_stage():
    stages = grid.draw_debug(drawn_table())
    assert list(stages) == ["1-masks", "2-strokes", "3-intersections", "4-cells"]
    assert all(img.shape == (1754, 1240, 3) for img in stages.values())


def test_cells_from_boxes_finds_spans():
    boxes = [(0, 0, 10, 20), (10, 0, 30, 10), (10, 10, 20, 20), (20, 10, 30, 20)]  # a 2×3 grid
    ys, xs, cells = grid.cells_from_boxes(boxes, tol=1.0)
    assert (ys, xs) == ([0, 10, 20], [0, 10, 20, 30])
    spans = {(c.row, c.col): (c.row_span, c.col_span) for c in cells}
    assert spans == {(0, 0): (2, 1), (0, 1): (1, 2), (1, 1): (1, 1), (1, 2): (1, 1)}


def test_a_scanned_table_without_its_top_rule_or_side_borders_keeps_its_outer_cells():
    """As on a born-digital page: the row above the first rule, between the column rules
    running up past it, and the columns outside the outer column rules, when every rule across
    runs on to one place, are the table's; a rule overshooting by a few pixels opens nothing."""
    xs, ys = [100, 400, 700, 1100], [200, 300, 450, 600, 750]

    def table(top=True, sides=True, overshoot=0):
        img = np.full((1754, 1240, 3), 255, np.uint8)
        for y in ys[(0 if top else 1):]:
            cv2.line(img, (xs[0] - overshoot, y), (xs[-1] + overshoot, y), (0, 0, 0), 3)
        for x in (xs if sides else xs[1:-1]):
            cv2.line(img, (x, ys[0] - overshoot), (x, ys[-1] + overshoot), (0, 0, 0), 3)
        return img

    def shape(img):
        [t] = grid.find_tables(img)
        return t.n_rows, t.n_cols, (round(t.bbox[0], -1), round(t.bbox[1], -1), round(t.bbox[2], -1), round(t.bbox[3], -1))

    assert shape(table()) == (4, 3, (100, 200, 1100, 750))
    assert shape(table(top=False)) == (4, 3, (100, 200, 1100, 750))
    assert shape(table(sides=False)) == (4, 3, (100, 200, 1100, 750))
    assert shape(table(overshoot=6)) == (4, 3, (100, 200, 1100, 750))
