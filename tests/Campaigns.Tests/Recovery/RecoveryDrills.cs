namespace Campaigns.Tests.Recovery;

/// <summary>
/// The recovery drills and the rate-limit test: each starts its own graph and strikes it, so they run
/// one at a time and after the parallel tests (never beside other heavy work).
/// </summary>
[CollectionDefinition(nameof(RecoveryDrills), DisableParallelization = true)]
public sealed class RecoveryDrills;
