namespace Campaigns.Api.OpenApi;

/// <summary>Documents an integer member as at least 1 (ids, rows, segments).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PositiveAttribute : Attribute;
