"""The scanner burst detector on a fake clock: scans are recognised, typing is given back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.key_burst import BurstConfig, BurstDetector, BurstStep

ENTER = "\n"  # how the tests below spell a terminator (Enter, Return or Tab for the adapter)
START = 1000.0


@dataclass
class Keyboard:
    """Feeds the detector like the Qt adapter does, and records what reaches the widget.

    Tokens are the typed characters themselves (a terminator is ENTER). `timer` plays the
    adapter's timer: it fires at the detector's deadline when no key comes before it.
    """

    config: BurstConfig = field(default_factory=BurstConfig)
    now: float = START
    delivered: list[str] = field(default_factory=list)
    scans: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.detector: BurstDetector[str] = BurstDetector(self.config)

    def type(self, text: str, gap: float, *, timer_fires: bool = True) -> None:
        """Keys `gap` seconds apart, the first `gap` after the previous one."""
        for char in text:
            self.wait(gap, timer_fires=timer_fires)
            if char == ENTER:
                self._apply(self.detector.terminator(self.now, char))
            else:
                self._apply(self.detector.key(char, self.now, char))

    def wait(self, seconds: float, *, timer_fires: bool = True) -> None:
        target = self.now + seconds
        deadline = self.detector.deadline
        if timer_fires and deadline is not None and deadline < target:
            self.now = min(deadline + 0.001, target)  # the adapter rounds up to the next ms
            self._apply(self.detector.expire(self.now))
        self.now = target

    def settle(self) -> None:
        """Long enough for any held key to be released by the timer."""
        self.wait(10.0)

    def _apply(self, step: BurstStep[str]) -> None:
        self.delivered.extend(step.release)
        if step.scan is not None:
            self.scans.append(step.scan)

    @property
    def typed(self) -> str:
        return "".join(self.delivered)


def test_a_scan_at_5_ms_per_key_ending_with_enter_is_one_scan_and_reaches_no_widget() -> None:
    keyboard = Keyboard()
    keyboard.type("WO-2026-0042" + ENTER, 0.005)
    keyboard.settle()
    assert keyboard.scans == ["WO-2026-0042"]
    assert keyboard.delivered == []
    assert not keyboard.detector.is_holding


def test_tab_ends_a_scan_too() -> None:
    # The adapter maps Tab to terminator() as it does Enter: the detector does not tell them
    # apart, so this checks that a terminator's kind is not part of the scan.
    keyboard = Keyboard()
    keyboard.type("4006381333931", 0.005)
    keyboard.wait(0.005)
    step = keyboard.detector.terminator(keyboard.now, "\t")
    assert step == BurstStep(scan="4006381333931")


def test_keys_of_a_scan_are_held_until_the_terminator() -> None:
    keyboard = Keyboard()
    keyboard.type("ABCDEF", 0.005)
    assert keyboard.delivered == []
    assert keyboard.detector.is_holding
    # A quick run may still have one stall: the deadline leaves room for it.
    assert keyboard.detector.deadline == pytest.approx(keyboard.now + 0.120)


@pytest.mark.parametrize(
    ("prefix", "suffix", "burst", "code"),
    [
        ("]C1", "", "]C1WO-2026-0042", "WO-2026-0042"),
        ("", "#", "WO-2026-0042#", "WO-2026-0042"),
        ("$", "#", "$WO-2026-0042#", "WO-2026-0042"),
        ("$", "#", "WO-2026-0042", "WO-2026-0042"),  # not sent: nothing to strip
        ("$", "#", "$WO-2026-0042", "WO-2026-0042"),
        ("$", "#", "WO-$2026#-0042", "WO-$2026#-0042"),  # only at the ends
        ("$$", "", "$$$A1B2", "$A1B2"),  # stripped once
    ],
)
def test_prefix_and_suffix_are_stripped_only_when_present(
    prefix: str, suffix: str, burst: str, code: str
) -> None:
    keyboard = Keyboard(BurstConfig(prefix=prefix, suffix=suffix))
    keyboard.type(burst + ENTER, 0.005)
    assert keyboard.scans == [code]
    assert keyboard.delivered == []


def test_min_length_counts_the_prefix_and_suffix_the_scanner_sent() -> None:
    keyboard = Keyboard(BurstConfig(min_length=4, prefix="$", suffix="#"))
    keyboard.type("$AB#" + ENTER, 0.005)
    assert keyboard.scans == ["AB"]


def test_human_typing_at_80_to_200_ms_is_released_key_by_key() -> None:
    keyboard = Keyboard()
    for char, gap in zip("1234" + ENTER, [0.08, 0.2, 0.12, 0.15, 0.09], strict=True):
        keyboard.type(char, gap)
        if char != ENTER:
            # Still held just after the key; the timer gives it back within the gap.
            assert keyboard.delivered[-1:] != [char]
            keyboard.wait(0.041)
            assert keyboard.delivered[-1] == char
    assert keyboard.typed == "1234" + ENTER
    assert keyboard.scans == []


def test_a_human_enter_with_nothing_held_goes_through_at_once() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    assert detector.terminator(START, ENTER) == BurstStep(release=(ENTER,))


def test_a_fast_typists_two_keys_and_enter_are_typing() -> None:
    keyboard = Keyboard()
    keyboard.type("ok" + ENTER, 0.020)
    assert keyboard.scans == []
    assert keyboard.typed == "ok" + ENTER


def test_fewer_fast_keys_than_min_length_are_typing_then_enough_are_a_scan() -> None:
    keyboard = Keyboard(BurstConfig(min_length=6))
    keyboard.type("12345" + ENTER, 0.005)
    assert (keyboard.scans, keyboard.typed) == ([], "12345" + ENTER)
    keyboard.type("123456" + ENTER, 0.005)
    assert keyboard.scans == ["123456"]


def test_a_quick_run_without_a_terminator_is_released_by_the_timer() -> None:
    keyboard = Keyboard()
    keyboard.type("ABCDEFGH", 0.005)
    keyboard.wait(0.119)  # a quick run waits out a possible stall
    assert keyboard.delivered == []
    keyboard.wait(0.002)
    assert keyboard.typed == "ABCDEFGH"


def test_a_slow_key_after_fast_ones_releases_them_first_and_starts_a_new_candidate() -> None:
    # The timer did not get to run (a busy GUI thread): the slow key must not overtake.
    keyboard = Keyboard()
    keyboard.type("ab", 0.010)
    step = keyboard.detector.key("c", keyboard.now + 0.200, "c")
    assert step == BurstStep(release=("a", "b"))
    assert keyboard.detector.is_holding  # "c" may be the first key of a scan


def test_a_scan_right_after_typing_is_still_a_scan() -> None:
    keyboard = Keyboard()
    keyboard.type("12", 0.150, timer_fires=False)
    keyboard.wait(0.300, timer_fires=False)
    keyboard.type("SLIP-000123" + ENTER, 0.005)
    assert keyboard.typed == "12"
    assert keyboard.scans == ["SLIP-000123"]


def test_an_enter_that_comes_late_after_a_quick_run_is_typing() -> None:
    keyboard = Keyboard()
    keyboard.type("ABCDEF", 0.005)
    keyboard.type(ENTER, 0.300, timer_fires=False)
    assert keyboard.scans == []
    assert keyboard.typed == "ABCDEF" + ENTER


def test_a_gap_equal_to_the_limit_still_belongs_to_the_burst() -> None:
    # Binary fractions, so the comparison is exact: gaps up to max_key_gap are a burst.
    keyboard = Keyboard(BurstConfig(max_key_gap=0.03125))
    keyboard.type("ABCD" + ENTER, 0.03125, timer_fires=False)
    assert keyboard.scans == ["ABCD"]
    assert keyboard.detector.expire(keyboard.now) == BurstStep()


def test_expire_before_the_deadline_keeps_the_keys() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    detector.key("a", START, "a")
    assert detector.expire(START + 0.039) == BurstStep()
    assert detector.expire(START + 0.041) == BurstStep(release=("a",))
    assert detector.deadline is None


def test_flush_gives_back_everything_held_in_order() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    for index, char in enumerate("xyz"):
        detector.key(char, START + index * 0.005, char)
    assert detector.flush() == BurstStep(release=("x", "y", "z"))
    assert detector.flush() == BurstStep()


def test_a_scan_whose_text_is_all_prefix_and_suffix_is_an_empty_code() -> None:
    # The scanner read something: swallowed, and the router reports an unreadable code.
    keyboard = Keyboard(BurstConfig(min_length=2, prefix="$", suffix="#"))
    keyboard.type("$#" + ENTER, 0.005)
    assert keyboard.scans == [""]


def test_nonsense_config_is_refused() -> None:
    with pytest.raises(ValueError, match="max_key_gap"):
        BurstConfig(max_key_gap=0.0)
    with pytest.raises(ValueError, match="max_key_gap"):
        BurstConfig(max_key_gap=-0.01)
    with pytest.raises(ValueError, match="min_length"):
        BurstConfig(min_length=0)


printable = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf", "Co", "Cn")
)
human_gap = st.floats(min_value=0.041, max_value=5.0)
scanner_gap = st.floats(min_value=0.0, max_value=0.039)


@given(
    keys=st.lists(st.tuples(st.one_of(printable, st.just(ENTER)), human_gap, st.booleans())),
)
def test_human_timing_releases_every_key_in_order_and_never_scans(
    keys: list[tuple[str, float, bool]],
) -> None:
    keyboard = Keyboard()
    for char, gap, timer_fires in keys:
        keyboard.type(char, gap, timer_fires=timer_fires)
    keyboard.settle()
    assert keyboard.scans == []
    assert keyboard.delivered == [char for char, _, _ in keys]


@given(
    code=st.text(printable, min_size=1, max_size=40),
    gaps=st.lists(scanner_gap, min_size=64, max_size=64),
    prefix=st.sampled_from(["", "$", "]C1"]),
    suffix=st.sampled_from(["", "#", "\u00a7"]),
)
def test_a_burst_under_the_gap_scans_exactly_the_code(
    code: str, gaps: list[float], prefix: str, suffix: str
) -> None:
    keyboard = Keyboard(BurstConfig(prefix=prefix, suffix=suffix, min_length=1))
    burst = prefix + code + suffix + ENTER
    for char, gap in zip(burst, gaps, strict=False):
        keyboard.type(char, gap)
    keyboard.settle()
    assert keyboard.scans == [code]
    assert keyboard.delivered == []


@given(code=st.text(printable, min_size=4, max_size=40), gap=scanner_gap)
def test_with_the_default_config_any_code_of_four_or_more_is_a_scan(code: str, gap: float) -> None:
    keyboard = Keyboard()
    keyboard.type(code + ENTER, gap)
    assert keyboard.scans == [code]


@given(text=st.text(printable, max_size=30), gaps=st.lists(human_gap, min_size=30, max_size=30))
def test_a_typed_key_is_late_by_at_most_the_gap(text: str, gaps: list[float]) -> None:
    keyboard = Keyboard()
    for index, (char, gap) in enumerate(zip(text, gaps, strict=False)):
        keyboard.type(char, gap)
        keyboard.wait(keyboard.config.max_key_gap + 0.001)
        assert keyboard.typed == text[: index + 1]


# ---------------------------------------------------------------- the keyboard's own times


def test_keys_sent_5_ms_apart_but_read_late_and_bunched_are_still_a_scan() -> None:
    # A busy GUI thread read the first key on time and the rest 150 ms later, all at once:
    # judged by when the keyboard sent them, they are one burst.
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    sent = 500.0  # the keyboard's clock has its own origin
    assert detector.key("0", START, "0", sent_at=sent) == BurstStep()
    for index, char in enumerate("A000E5001", start=1):
        step = detector.key(char, START + 0.150, char, sent_at=sent + 0.005 * index)
        assert step == BurstStep()
    assert detector.terminator(START + 0.150, ENTER, sent_at=sent + 0.050) == BurstStep(
        scan="0A000E5001"
    )


def test_keys_typed_150_ms_apart_but_read_together_are_typing() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    detector.key("1", START + 0.300, "1", sent_at=0.0)
    assert detector.key("2", START + 0.300, "2", sent_at=0.150) == BurstStep(release=("1",))
    step = detector.terminator(START + 0.300, ENTER, sent_at=0.300)
    assert step == BurstStep(release=("2", ENTER))


def test_a_25_ms_per_key_scanner_read_late_is_a_scan() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    for index, char in enumerate("WO-2026-004218"):
        detector.key(char, START + 0.200, char, sent_at=0.025 * index)
    assert detector.terminator(START + 0.200, ENTER, sent_at=0.025 * 14) == BurstStep(
        scan="WO-2026-004218"
    )


def test_without_the_keyboards_time_keys_are_judged_by_arrival() -> None:
    # A key without a time (or one whose time runs backwards: a clock that wrapped) is
    # judged by when it was read, as before.
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    detector.key("a", START, "a", sent_at=10.0)
    assert detector.key("b", START + 0.100, "b") == BurstStep(release=("a",))
    assert detector.key("c", START + 0.200, "c", sent_at=9.0) == BurstStep(release=("b",))
    assert detector.key("d", START + 0.205, "d", sent_at=9.005) == BurstStep()


def test_the_release_deadline_follows_arrival_not_the_keyboards_clock() -> None:
    detector: BurstDetector[str] = BurstDetector(BurstConfig())
    detector.key("a", START, "a", sent_at=7.0)
    assert detector.deadline == pytest.approx(START + 0.040)
    assert detector.expire(START + 0.041) == BurstStep(release=("a",))


# ---------------------------------------------------------------- one stall in a quick run


def test_slow_keys_after_a_quick_run_are_typing() -> None:
    keyboard = Keyboard()
    keyboard.type("WO-2026", 0.005)
    keyboard.type("-004218", 0.090, timer_fires=False)
    keyboard.type(ENTER, 0.005)
    assert keyboard.scans == []  # several slow gaps: not a scanner
    assert keyboard.typed.startswith("WO-2026-")


def test_a_single_stall_then_quick_keys_make_one_scan() -> None:
    keyboard = Keyboard()
    keyboard.type("WO-2026", 0.005)
    keyboard.wait(0.085)  # the timer waits out a stall while the run is quick so far
    keyboard.type("-004218" + ENTER, 0.005)
    assert keyboard.scans == ["WO-2026-004218"]
    assert keyboard.delivered == []


def test_a_stall_before_the_enter_is_forgiven_too() -> None:
    keyboard = Keyboard()
    keyboard.type("0A000E5001", 0.005)
    keyboard.type(ENTER, 0.100)
    assert keyboard.scans == ["0A000E5001"]


def test_a_second_stall_gives_the_keys_back_as_typing() -> None:
    keyboard = Keyboard()
    keyboard.type("ABCD", 0.005)
    keyboard.type("E", 0.090)
    keyboard.type("F", 0.090, timer_fires=False)
    assert keyboard.typed == "ABCDE"


def test_a_gap_longer_than_a_stall_ends_the_run() -> None:
    keyboard = Keyboard()
    keyboard.type("ABCD", 0.005)
    keyboard.type(ENTER, 0.121, timer_fires=False)
    assert keyboard.scans == []
    assert keyboard.typed == "ABCD" + ENTER


def test_a_lone_key_is_not_given_a_stall() -> None:
    # Nothing says a scanner yet: a person's key is given back after the usual gap.
    keyboard = Keyboard()
    keyboard.type("7", 0.150)
    assert keyboard.detector.deadline == pytest.approx(keyboard.now + 0.040)
    keyboard.type("1", 0.090, timer_fires=False)
    assert keyboard.typed == "7"


def test_a_stall_longer_than_the_gap_is_refused_in_the_config() -> None:
    with pytest.raises(ValueError, match="max_stall_gap"):
        BurstConfig(max_key_gap=0.040, max_stall_gap=0.030)
