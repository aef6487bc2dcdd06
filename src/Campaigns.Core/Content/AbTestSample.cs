namespace Campaigns.Core.Content;

/// <summary>
/// An A/B test's sample (api.md, "Variants, links and languages"): of an audience, the <c>ceil(sample_percent% ×
/// audience)</c> recipients of lowest <see cref="VariantAssignment.SampleRank"/>. The send adds each recipient as it writes
/// them (16 bytes each: 1.6 MB at 100,000) and asks for the sample once the audience is complete.
/// </summary>
public sealed class AbTestSample(long campaignId)
{
    private readonly List<(long Rank, long CustomerId)> _audience = [];

    public void Add(long customerId) => _audience.Add((VariantAssignment.SampleRank(campaignId, customerId), customerId));

    public int AudienceSize => _audience.Count;

    /// <summary>How many of <paramref name="audience"/> recipients the sample holds.</summary>
    public static int SizeOf(int audience, int samplePercent) => (int)((audience * (long)samplePercent + 99) / 100);

    /// <summary>The sample's customer ids, ascending.</summary>
    public long[] CustomerIds(int samplePercent)
    {
        var size = SizeOf(_audience.Count, samplePercent);
        _audience.Sort();
        var ids = new long[size];
        for (var i = 0; i < size; i++)
        {
            ids[i] = _audience[i].CustomerId;
        }
        Array.Sort(ids);
        return ids;
    }
}
