namespace Campaigns.Core.Content;

/// <summary>What an A/B test decides on: per variant, its sample's messages clicked (at least once) or delivered.</summary>
public static class AbTestMetric
{
    public const string Clicked = "clicked";
    public const string Delivered = "delivered";

    public static readonly IReadOnlyList<string> All = [Clicked, Delivered];
}
