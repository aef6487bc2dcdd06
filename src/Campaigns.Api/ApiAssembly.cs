namespace Campaigns.Api;

/// <summary>Names the API assembly for in-process hosts (WebApplicationFactory) without exposing Program.</summary>
public sealed class ApiAssembly;
