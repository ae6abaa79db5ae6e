from cardgen.text.markup import ACCENT, BOLD, ITALIC, Span, parse_markup, plain_text


def test_bold_accent_italic_spans():
    (p,) = parse_markup("Топ-9 **бесплатных** ==фотостоков== и *курсив*")
    assert p == (
        Span("Топ-9 "),
        Span("бесплатных", BOLD),
        Span(" "),
        Span("фотостоков", ACCENT),
        Span(" и "),
        Span("курсив", ITALIC),
    )


def test_nested_markers_combine_flags():
    (p,) = parse_markup("**a ==b==**")
    assert p == (Span("a ", BOLD), Span("b", BOLD | ACCENT))


def test_unpaired_and_escaped_markers_stay_literal():
    (p,) = parse_markup(r"5 * 3 = 15 и \*звёздочка\* и \=\= и ==открыто")
    assert plain_text((p,)) == "5 * 3 = 15 и *звёздочка* и == и ==открыто"
    assert all(s.flags == 0 for s in p)


def test_paragraphs_and_forced_breaks():
    paragraphs = parse_markup("Первый\nвсё ещё первый\n\n\nВторой\n")
    assert len(paragraphs) == 2
    assert plain_text(paragraphs) == "Первый\nвсё ещё первый\n\nВторой"


def test_empty_text():
    assert parse_markup("  \n ") == ()
