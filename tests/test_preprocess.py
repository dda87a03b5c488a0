"""Preprocessing steps are pure functions: each is checked on an array with a known answer."""

import cv2
import numpy as np
import pytest

from gongwen.ocr import preprocess as pp

from helpers import as_array, draw_text_page


@pytest.mark.parametrize("angle", [-4.0, -1.3, 0.0, 0.7, 2.5])
def test_skew_angle_recovers_rotation(angle):
    page = as_array(draw_text_page(lines=draw_lines(14)))
    skewed = pp.rotate(page, -angle)
    assert pp.skew_angle(skewed) == pytest.approx(angle, abs=0.2)


def draw_lines(n):
    base = "为进一步深化扶贫开发工作推动欠发达地区加快全面建成小康社会"
    return [base[i % 5 :] + base[: i % 5] for i in range(n)]


def test_skew_angle_of_blank_page_is_zero():
    assert pp.skew_angle(np.full((800, 600, 3), 255, np.uint8)) == 0.0


@pytest.mark.parametrize("turn_by, expected", [(0, 0), (90, 90), (270, 90), (180, 0)])
def test_text_axis_turn(turn_by, expected):
    page = as_array(draw_text_page(lines=draw_lines(12)))
    assert pp.text_axis_turn(pp.turn(page, turn_by)) == expected


def test_turn_is_lossless_and_composes():
    a = np.arange(24, dtype=np.uint8).reshape(4, 6)
    assert np.array_equal(pp.turn(pp.turn(a, 90), 270), a)
    assert np.array_equal(pp.turn(a, 180), a[::-1, ::-1])


def test_separate_inks_splits_black_red_blue():
    img = np.full((200, 300, 3), 255, np.uint8)
    cv2.rectangle(img, (10, 10), (90, 90), (20, 20, 20), -1)  # black print
    cv2.rectangle(img, (110, 10), (190, 90), (220, 30, 30), -1)  # red seal ink (RGB)
    cv2.rectangle(img, (210, 10), (290, 90), (30, 40, 200), -1)  # blue handwriting
    # black text printed over the red seal stays in the black layer
    cv2.rectangle(img, (140, 40), (160, 60), (10, 10, 10), -1)
    inks = pp.separate_inks(img)
    # coloured ink is as pale as paper in the black layer
    assert inks.black[50, 50] < 60 and inks.black[20, 120] >= 230 and inks.black[50, 250] >= 230
    assert inks.black[50, 150] < 60
    assert inks.red is not None and inks.red[20, 120] < 100 and inks.red[50, 50] == 255
    assert inks.blue is not None and inks.blue[50, 250] < 150 and inks.blue[20, 120] == 255


def test_separate_inks_on_gray_page_has_no_colour_layers():
    gray = np.full((100, 100), 255, np.uint8)
    gray[40:60, 40:60] = 0
    inks = pp.separate_inks(gray)
    assert inks.red is None and inks.blue is None and np.array_equal(inks.black, gray)


def test_ink_regions_skips_rules_and_finds_blocks():
    layer = np.full((1000, 800), 255, np.uint8)
    layer[100:104, 50:750] = 0  # a red rule
    layer[300:380, 100:500] = 0  # a header block
    boxes = pp.ink_regions(layer)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 <= 100 and y0 <= 300 and x1 >= 500 and y1 >= 380


def test_ink_regions_keep_small_print_written_along_its_rules():
    # a form printed in red: 传阅：谭芳浩＿＿＿ 吴峰＿＿＿ … in small print on fill-in rules, a low
    # long region like a rule, but with its letters' strokes
    layer = np.full((3508, 2480), 255, np.uint8)
    layer[1600:1606, 300:2200] = 0  # the rule under the boxes
    for i, x in enumerate(range(460, 1800, 330)):
        for c in range(3):  # a name: three letters of upright and level strokes
            cx = x + 45 * c
            layer[2020:2060, cx : cx + 4] = 0
            layer[2038:2042, cx - 15 : cx + 20] = 0
        layer[2066:2070, x + 140 : x + 310] = 0  # the rule the date is written on
    boxes = pp.ink_regions(layer)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert y0 <= 2020 and y1 >= 2070 and x0 <= 460 and x1 >= 1700


def _colour_page_with(pencil_value):
    page = np.full((1400, 1000, 3), (246, 244, 232), np.uint8)  # cream paper
    page[100:130, 150:850] = (200, 30, 40)  # a red header
    cv2.putText(page, "PRINT 2024", (100, 400), cv2.FONT_HERSHEY_SIMPLEX, 2.0, (20, 20, 20), 6)  # black print
    cv2.rectangle(page, (600, 1100), (950, 1250), (228, 196, 190), 4)  # a faded red stamp, nearly as pale
    if pencil_value is not None:
        g = tuple(int(c * pencil_value / 246) for c in (246, 244, 232))  # graphite: pale, the paper's tint through it
        cv2.putText(page, "ok 19.1.10", (500, 900), cv2.FONT_HERSHEY_SIMPLEX, 1.6, g, 3)
    return page


def test_pencil_on_a_colour_page_has_a_layer_of_its_own():
    inks = pp.separate_inks(_colour_page_with(205))
    assert inks.pencil is not None
    assert inks.pencil[860:910, 500:800].min() < 128  # the pencil, drawn dark
    assert inks.black[860:910, 500:800].min() > 200  # the black layer whitened it away
    assert inks.pencil[330:420, 100:500].min() == 255  # print, and its pale edges, are none of it
    assert inks.pencil[90:140, 140:860].min() == 255  # nor the ghost of the red header
    assert inks.pencil[1090:1260, 590:960].min() == 255  # nor a faded stamp's frame: no writing's stroke
    assert pp.separate_inks(_colour_page_with(None)).pencil is None


def test_a_red_pencil_is_pencil_and_a_faded_blue_is_not():
    page = _colour_page_with(None)
    cv2.putText(page, "ok 19.1.10", (500, 900), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (212, 189, 174), 3)  # red pencil
    cv2.putText(page, "ok 19.1.10", (100, 700), cv2.FONT_HERSHEY_SIMPLEX, 1.6, (190, 200, 228), 3)  # faded blue
    inks = pp.separate_inks(page)
    assert inks.pencil is not None and inks.pencil[860:910, 500:800].min() < 128
    assert inks.pencil[660:710, 100:400].min() == 255


def test_colour_line_read_twice_is_kept_once():
    from gongwen.parsers.model import Line
    from gongwen.ocr.page import drop_repeats

    whole = Line("贺海杰 10月9日", (1660, 2315, 2173, 2399), 0.99, "blue")
    piece = Line("10", (1948, 2320, 2037, 2374), 0.99, "blue")
    again = Line("贺海杰 10月9日", (1662, 2316, 2171, 2398), 0.98, "blue")
    other = Line("10", (300, 2320, 390, 2374), 0.99, "blue")  # the same text elsewhere stays
    assert drop_repeats([whole, piece, again, other]) == [whole, other]
    good = Line("中共广东省委办公厅", (463, 853, 1659, 972), 0.997, "red")
    misread = Line("中共厂东省委办公厅", (470, 876, 1653, 973), 0.913, "red")
    assert drop_repeats([misread, good]) == [good]


def test_echo_of_colour_ink_goes_and_a_poor_colour_reading_of_better_black_print_goes():
    from gongwen.parsers.model import Line
    from gongwen.ocr.page import drop_echoes

    red = Line("中共浙江省委办公厅文件", (300, 800, 2200, 1000), 0.99, "red")
    ghost = Line("中共浙江", (300, 820, 1000, 990), 0.7, "black")
    poor = Line("幸山财", (1685, 311, 1916, 383), 0.92, "blue")
    full = Line("深圳市南山区财政局", (1563, 307, 1997, 381), 0.99, "black")
    seal = Line("国务", (1527, 2711, 1686, 2787), 0.74, "red")  # the signatory seen through the seal
    signatory = Line("国务院", (1513, 2708, 1725, 2791), 0.99, "black")
    kept = drop_echoes([ghost, full, signatory], [red, poor, seal])
    assert [(l.text, l.layer) for l in kept] == [
        ("深圳市南山区财政局", "black"), ("国务院", "black"), ("中共浙江省委办公厅文件", "red")
    ]


def test_a_forms_label_read_with_the_handwriting_after_it_keeps_only_the_label():
    from gongwen.parsers.model import Line
    from gongwen.ocr.page import drop_echoes

    # blue-black ink is dark enough for the black layer, which reads label and date as one poor
    # line; its part over the blue reading echoes it, so the black line keeps only 收文日期：
    black = Line("收文日期：201年月1日", (1245, 335, 1822, 417), 0.89, "black")
    blue = Line("2014年2月13日", (1480, 338, 1825, 415), 0.95, "blue")
    kept = drop_echoes([black], [blue])
    assert [(l.text, l.layer) for l in kept] == [("收文日期：", "black"), ("2014年2月13日", "blue")]
    assert kept[0].bbox[2] < blue.bbox[0] + 30
    # a black line that reads the colour ink better than the colour layer does wins, as before
    poor = Line("201年2月", (1480, 338, 1825, 415), 0.6, "blue")
    clear = Line("收文日期：2014年2月13日", (1245, 335, 1822, 417), 0.97, "black")
    assert [l.text for l in drop_echoes([clear], [poor])] == ["收文日期：2014年2月13日"]
    # a printed name whose box runs over the date pencilled after it keeps every character
    printed = Line("杜途秀", (890, 1991, 1149, 2059), 1.0, "black")
    date = Line("217", (1059, 2000, 1151, 2058), 1.0, "blue")
    assert drop_echoes([printed], [date]) == [printed, date]
    # an echo of the handwriting with the form's label before it: the label stays
    echo = Line("办理结果：已电话通知市人力资源和社会保障局文件复印件已送达", (290, 2117, 2194, 2248), 0.8, "black")
    hand = Line("已电话通知市人力资源和社会保障局，文件复印件已送达。", (554, 2117, 2194, 2248), 0.98, "blue")
    assert [l.text.rstrip("：") for l in drop_echoes([echo], [hand])] == ["办理结果", hand.text]
    # dark handwriting read whole in black (杨鑫阅6月2日) keeps its line: the colour line is in it
    signed = Line("杨鑫阅6月2日", (1434, 789, 2043, 908), 1.0, "black")
    assert drop_echoes([signed], [Line("6月2日", (1773, 791, 2041, 892), 1.0, "blue")]) == [signed]


def test_pale_thin_strokes_next_to_strong_colour_ink_join_its_layer():
    import numpy as np

    from gongwen.ocr.preprocess import colour_masks

    page = np.full((600, 900, 3), 245, np.uint8)
    page[100:300, 100:104] = (40, 60, 200)  # a strong blue rule of a stamp box
    page[150:200, 120:122] = (170, 180, 215)  # a thin, pale stroke of its office name, beside it
    page[450:500, 700:702] = (170, 180, 215)  # the same pale tint far from any strong ink
    red, blue = colour_masks(page)
    assert blue[160:190, 120:122].all()
    assert not blue[450:500, 700:702].any()
    assert not red.any()


def test_one_confident_character_does_not_make_a_page_upright():
    """Upside down, a page can yield a single confident 。; the page is read turned too."""
    import numpy as np

    from gongwen.ocr.engines.base import OcrEngine
    from gongwen.parsers.model import Line
    from gongwen.ocr.page import ocr_upright

    class Engine(OcrEngine):  # no line classifier: the default recognize_upright
        name = "fake"

        def recognize(self, image):
            if image[0, 0] == 0:  # the marked corner is top-left: the page is upright
                return [Line("中共山东省委办公厅文件", (10, 10, 900, 100), 0.99)]
            return [Line("。", (10, 10, 30, 30), 0.91)]

    page = np.full((400, 300), 255, np.uint8)
    page[-1, -1] = 0  # upside down: the mark sits bottom-right
    image, lines, turn = ocr_upright(Engine(), page)
    assert turn == 180 and lines[0].text == "中共山东省委办公厅文件"


@pytest.mark.ocr
@pytest.mark.parametrize("turned", [0, 180])
def test_rapidocr_reads_an_upside_down_page_once_and_says_so(turned):
    """RapidOCR's line classifier, asked about the page as a whole, tells an upside-down page
    from one reading: the lines come back as those of the page turned upright."""
    import numpy as np

    from gongwen.ocr.engines import make_engine
    from gongwen.ocr.page import ocr_upright

    from helpers import PARAGRAPH, draw_text_page

    page = np.asarray(draw_text_page().convert("RGB"))
    if turned:
        page = np.ascontiguousarray(page[::-1, ::-1])
    engine = make_engine("rapidocr", threads=1)
    calls = []
    recognize = engine.recognize
    engine.recognize = lambda image: calls.append(1) or recognize(image)
    image, lines, turn = ocr_upright(engine, page)
    assert turn == turned and not calls  # one reading, no second one turned
    assert [l.text for l in lines[:2]] == list(PARAGRAPH[:2])
    assert lines[0].bbox[1] < lines[1].bbox[1] and lines[0].bbox[1] < 400


@pytest.mark.ocr
def test_rapidocr_lines_read_one_at_a_time_equal_its_batched_reading():
    """PP-OCRv4: each line goes through the recogniser alone, padded as RapidOCR pads its
    batches of 6: the texts and scores are RapidOCR's own, for lines of every length."""
    from gongwen.ocr.engines import make_engine

    engine = make_engine("rapidocr-v4", threads=1)
    _, _, crops = engine._find(np.asarray(draw_text_page().convert("RGB")))
    # and pieces of lines: short and long ones land in the same groups of 6
    crops = crops + [c[:, : max(8, c.shape[1] // k)] for k, c in zip((2, 3, 5, 7), crops)]
    assert len(crops) > 6
    ours = engine._recognize(crops)
    theirs = engine._ocr.text_rec(crops, False)[0]
    assert [t for t, _ in ours] == [t for t, *_ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s, *_ in theirs], abs=1e-5)


def _handwriting(text_width, ring_gap, ring=True, ring_size=22):
    """A gray strip: strokes of a line of handwriting, then (optionally) a ring apart from it."""
    import cv2
    import numpy as np

    img = np.full((140, 700), 255, np.uint8)
    for k in range(text_width // 70):  # characters: a few crossing strokes each
        x = 20 + 70 * k
        cv2.line(img, (x, 40), (x + 50, 40), 60, 5)
        cv2.line(img, (x + 25, 30), (x + 25, 95), 60, 5)
        cv2.line(img, (x + 5, 90), (x + 45, 70), 60, 4)
    end = 20 + 70 * (text_width // 70)
    if ring:
        cv2.circle(img, (end + ring_gap, 80), ring_size // 2, 60, 3)
    return img, end


def test_a_handwritten_full_stop_the_recogniser_dropped_is_put_back():
    from gongwen.parsers.model import Line
    from gongwen.ocr.page import with_full_stop

    img, end = _handwriting(140, 30)
    line = Line("已阅", (15.0, 28.0, float(end), 98.0), 0.97, "blue")
    got = with_full_stop(img, line)
    assert got.text == "已阅。" and got.bbox[2] > end
    assert with_full_stop(_handwriting(140, 30, ring=False)[0], line).text == "已阅"
    # a big hollow shape joined to the last character (the 口 of 知) is no full stop
    img, end = _handwriting(140, 0, ring_size=40)
    assert with_full_stop(img, line).text == "已阅"
    assert with_full_stop(img, Line("请阅示（", line.bbox, 0.9, "blue")).text == "请阅示。"


def test_a_line_turned_upright_reaches_a_little_further_at_its_end_only():
    """Boxes found on an upside-down page miss the line's last mark: turned upright, a box is
    lengthened at its right end by a share of its height, never beyond the page."""
    import numpy as np

    from gongwen.ocr.engines.rapid import TURNED_LINE_END_REACH, _reach_line_end

    box = np.array([[100, 50], [500, 50], [500, 90], [100, 90]], np.float32)
    out = _reach_line_end(box, 2000, 1000)
    assert out[0].tolist() == [100, 50] and out[3].tolist() == [100, 90]  # the start stays
    assert out[1].tolist() == [500 + TURNED_LINE_END_REACH * 40, 50] and out[2][0] == out[1][0]
    near_edge = _reach_line_end(box + [1490, 0], 2000, 1000)  # would end at 2006
    assert near_edge[:, 0].max() == 1999


def _colour_page():
    """An A4-sized page at 150 dpi: black lines, a red header and seal, blue handwriting."""
    page = np.full((1754, 1240, 3), 247, np.uint8)
    for y in range(300, 1500, 60):
        cv2.line(page, (100, y), (1140, y), (25, 25, 25), 5)
    cv2.putText(page, "HEADER", (300, 180), cv2.FONT_HERSHEY_SIMPLEX, 4, (215, 30, 35), 12)
    cv2.circle(page, (900, 1300), 160, (200, 40, 40), 8)
    cv2.line(page, (850, 1290), (1000, 1330), (20, 20, 20), 6)  # black print over the seal
    cv2.putText(page, "note", (150, 1650), cv2.FONT_HERSHEY_SIMPLEX, 2, (35, 50, 190), 5)
    return page


def test_colour_regions_hold_all_coloured_ink_and_cover_little_of_the_page():
    page = _colour_page()
    regions = pp.colour_regions(page)
    inside = np.zeros(page.shape[:2], bool)
    for x0, y0, x1, y1 in regions:
        inside[y0:y1, x0:x1] = True
    red, blue = pp._colour_masks_of(page)  # the whole page at once
    assert (red > 0).sum() > 1000 and (blue > 0).sum() > 500
    assert not ((red > 0) & ~inside).any() and not ((blue > 0) & ~inside).any()
    assert inside.mean() < 0.5
    # regions never overlap (every pixel is handled once)
    for i, a in enumerate(regions):
        for b in regions[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_inks_separated_within_regions_equal_the_whole_page_done_at_once():
    page = _colour_page()
    red, blue = pp._colour_masks_of(page)
    by_region = pp.colour_masks(page)
    assert np.array_equal(by_region[0], red) and np.array_equal(by_region[1], blue)
    inks = pp.separate_inks(page)
    assert inks.red is not None and inks.blue is not None
    assert inks.black[1300, 1060] >= 230  # the seal's ring is gone from the black layer
    assert inks.black[1310, 925] < 100  # the black print over it stays


def test_is_gray_finds_colour_off_the_probe_grid():
    page = np.full((400, 300, 3), 250, np.uint8)
    assert pp.is_gray(page)
    page[201, 151] = (250, 40, 40)  # one coloured pixel between the grid's pixels
    assert not pp.is_gray(page)


@pytest.mark.parametrize("f", [0.342, 0.5, 0.3, 0.7])
def test_shrink_matches_area_averaging_in_one_step(f):
    page = as_array(draw_text_page(lines=draw_lines(12)))[:, :, 0]
    size = (int(page.shape[1] * f), int(page.shape[0] * f))
    one_step = cv2.resize(page, size, interpolation=cv2.INTER_AREA)
    two_steps = pp.shrink(page, f)
    assert two_steps.shape == one_step.shape
    # the same ink at the same place: its amount and its centre agree
    ink_a, ink_b = 255.0 - one_step, 255.0 - two_steps.astype(float)
    assert ink_b.sum() == pytest.approx(ink_a.sum(), rel=0.02)
    ys, xs = np.mgrid[: ink_a.shape[0], : ink_a.shape[1]]
    for grid in (ys, xs):
        assert (grid * ink_b).sum() / ink_b.sum() == pytest.approx((grid * ink_a).sum() / ink_a.sum(), abs=0.5)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_blob_stats_equal_the_components_of_the_whole_mask_in_order(seed):
    """Labelling only the box around the ink gives the components of the whole mask, in the
    same order, wherever the box starts (odd or even offsets)."""
    rng = np.random.default_rng(seed)
    mask = np.zeros((301, 407), np.uint8)
    top, left = (int(v) for v in rng.integers(1, 60, 2))
    for _ in range(40):  # blobs and strokes side by side, some touching
        x, y = int(rng.integers(left, 380)), int(rng.integers(top, 280))
        cv2.rectangle(mask, (x, y), (x + int(rng.integers(0, 25)), y + int(rng.integers(0, 4))), 255, -1)
    _, _, stats = pp.components(mask)
    assert len(stats) > 10
    assert pp.blob_stats(mask).tolist() == stats[1:].tolist()
    assert pp.blob_stats(np.zeros((50, 60), np.uint8)).shape == (0, 5)


# -- blank pages ------------------------------------------------------------------------------

A4_300 = (3508, 2480)


def _paper(seed=0, noise=6.0, size=A4_300):
    rng = np.random.default_rng(seed)
    return np.clip(245 + rng.normal(0, noise, size + (3,)), 0, 255).astype(np.uint8)


def _with_text(page, text, colour, font_px=44, at=(1200, 1700)):
    from PIL import Image, ImageDraw, ImageFont

    from helpers import BODY_FONT

    img = Image.fromarray(page)
    ImageDraw.Draw(img).text(at, text, font=ImageFont.truetype(BODY_FONT, font_px), fill=colour)
    return np.array(img)


def _dusty(page):
    rng = np.random.default_rng(3)
    for y, x in rng.integers(200, 3000, size=(40, 2)):
        page[y : y + 2, x : x + 2] = 40  # specks of 2×2 px at 300 dpi
    return page


def _scanner_edges(page):
    page[:, :70] = 15  # the scanner lid's black border
    page[:90, :] = 25
    cv2.circle(page, (142, 1200), 36, (30, 30, 30), -1)  # a punch hole: 12 mm in, 6 mm wide
    return page


def _show_through(page):
    for y in range(300, 3200, 90):  # the other side's print, mirrored and pale
        page = _with_text(page, "关于进一步加强档案管理工作的通知"[::-1], (212, 212, 212), at=(250, y))
    return page


@pytest.mark.parametrize("make, blank", [
    (lambda: np.full(A4_300 + (3,), 255, np.uint8), True),
    (lambda: _paper(), True),
    (lambda: _paper()[:, :, 0].copy(), True),  # a gray scan
    (lambda: _dusty(_paper()), True),
    (lambda: _scanner_edges(_paper()), True),
    (lambda: _show_through(_paper()), True),
    (lambda: _with_text(_paper(), "阅", (30, 30, 30)), False),  # one handwritten word
    (lambda: _with_text(_paper(), "阅", (150, 150, 150)), False),  # in pencil
    (lambda: _with_text(_paper(), "阅", (40, 60, 200)), False),  # in blue ink
    (lambda: _with_text(_paper(), "收文", (210, 30, 30), font_px=30), False),  # a small red stamp word
    (lambda: _with_text(_paper(), "附件", (20, 20, 20), at=(260, 400)), False),  # near the margin
    (lambda: as_array(draw_text_page()), False),
], ids=["white", "paper", "gray", "dust", "edges", "show-through", "one-word", "pencil", "blue",
        "red", "margin-word", "text"])
def test_is_blank(make, blank):
    assert pp.is_blank(make()) is blank


def test_a_colour_region_is_cut_at_the_forms_cell_walls_printed_black_or_red_but_not_at_a_stroke():
    import numpy as np

    from gongwen.ocr.preprocess import split_at_rules

    for wall in ((0, 0, 0), (200, 40, 40)):  # a form printed in black, and one printed in red
        page = np.full((100, 400, 3), 245, np.uint8)
        layer = np.full((100, 400), 255, np.uint8)  # the blue layer: ink dark
        page[:, 200:203] = wall  # the cell wall between two readers' names
        for x in (60, 120, 260, 320):  # handwriting left and right of it, in blue
            page[30:70, x : x + 30] = (40, 60, 200)
            layer[30:70, x : x + 30] = 60
        page[0:100, 150:153] = (40, 60, 200)  # a stroke as tall as the region (the 1 of 10): in both
        layer[0:100, 150:153] = 60
        parts = split_at_rules((40, 10, 370, 90), page, layer)
        assert [(x0, x1) for x0, _, x1, _ in parts] == [(40, 200), (203, 370)], wall


def _blue_black_writing() -> np.ndarray:
    """Blue-black handwriting as a JPEG scan shows it, on warm paper: a stroke's middle is dark
    with no colour, its edges tinted; one stroke strongly, the strokes joined to it only weakly
    (below the pale saturation), one of them written down onto the form's printed rule; and
    far off, a weakly tinted stroke joined to nothing."""
    page = np.full((300, 900, 3), (236, 236, 228), np.uint8)
    cv2.line(page, (40, 200), (860, 200), (40, 38, 35), 3)  # the printed rule written on

    def stroke(p, q, edge):
        cv2.line(page, p, q, edge, 9)
        cv2.line(page, p, q, (32, 31, 30), 3)  # the dark middle: no colour

    weak = (100, 103, 112)
    stroke((60, 80), (60, 170), (40, 55, 170))  # strongly tinted
    stroke((75, 80), (150, 80), weak)
    stroke((160, 100), (160, 195), weak)  # down onto the rule
    stroke((650, 60), (650, 150), weak)  # alone
    return page


def test_blue_black_strokes_go_whole_to_the_blue_layer_and_the_rule_stays():
    page = _blue_black_writing()
    inks = pp.separate_inks(page)
    assert inks.blue is not None
    for y, x in ((130, 60), (80, 110), (150, 160)):  # the middles of the joined strokes
        assert inks.blue[y, x] < 128 and inks.black[y, x] >= 200, (y, x)
    assert (inks.black[201, 45:855] < 128).all()  # the rule, whole where the writing meets it
    assert inks.black[100, 650] < 128 and inks.blue[100, 650] >= 200  # joined to no colour: print


def test_a_real_blue_ink_line_leaves_little_in_the_black_layer():
    from helpers import realworld

    line = cv2.cvtColor(cv2.imread(str(realworld("handwriting/lines/weixin_7053_3.jpg"))), cv2.COLOR_BGR2RGB)
    page = cv2.copyMakeBorder(line, 15, 15, 15, 15, cv2.BORDER_CONSTANT, value=(255, 255, 255))
    inks = pp.separate_inks(page)
    dark = int((pp.to_gray(page) < 128).sum())
    assert inks.blue is not None and (inks.blue < 128).sum() > 0.5 * dark
    # before dark inks were taken whole, 43 % of the writing's dark pixels stayed black
    assert (inks.black < 128).sum() < 0.25 * dark


@pytest.mark.parametrize("text, box, writing", [
    ("蔡峰玉", (1996, 1596, 2178, 1684), True),
    ("19110", (1983, 1673, 2189, 1745), True),
    ("ASE", (2043, 62, 2082, 77), False),  # paper's grain, read small and Latin
    ("Ok", (500, 900, 700, 980), False),  # no Chinese character, no digit
])
def test_a_line_read_in_pencil_is_writing_when_tall_and_chinese_or_digits(text, box, writing):
    from gongwen.ocr.page import _writing
    from gongwen.parsers.model import Line

    assert _writing(Line(text, box, 0.9, "pencil"), 3508) is writing
