namespace Campaigns.Tests.Timing;

/// <summary>
/// Tests that set the drills-only clock (<c>drill_clock</c>, migration 0015), which every send-window rule
/// of the shared graph reads: they run one at a time and after the parallel tests, so no other test's
/// windows see the drill's time. Each deletes the clock's row when it ends, pass or fail.
/// </summary>
[CollectionDefinition(nameof(DrillClock), DisableParallelization = true)]
public sealed class DrillClock;
