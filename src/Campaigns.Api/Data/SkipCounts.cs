namespace Campaigns.Api.Data;

/// <summary>
/// Recipients a send left out, each counted once, in the first that applies (api.md Part 2, "Consent"):
/// opted out, suppressed on the campaign's channel, over the channel's daily frequency cap.
/// </summary>
public sealed record SkipCounts(int OptedOut, int Suppressed, int FrequencyCapped)
{
    public static readonly SkipCounts None = new(0, 0, 0);

    public int Total => OptedOut + Suppressed + FrequencyCapped;
}
