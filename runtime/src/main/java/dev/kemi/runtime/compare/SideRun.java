package dev.kemi.runtime.compare;

import dev.kemi.engine.lint.LintFinding;
import java.util.List;

/** One side of a comparison: its configuration, its run, and lint findings on its KEMI script. */
public record SideRun(ConfigSide side, ScenarioResult result, List<LintFinding> lint) {}
