namespace Campaigns.ProviderSimulator;

/// <summary>Names the simulator's assembly for in-process hosts (WebApplicationFactory) without exposing Program.</summary>
public sealed class SimulatorAssembly;
