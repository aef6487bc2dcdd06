namespace Campaigns.Core.Content;

/// <summary>
/// Which variant a customer gets, and where they stand in an A/B test's sample: both from a stable hash of the campaign
/// and customer ids (SplitMix64's finaliser, so no process, version or machine changes them). The two draws are
/// independent (different salts): the sample is the recipients of lowest <see cref="SampleRank"/>, and it is still split
/// by weight through <see cref="Pick"/>.
/// </summary>
public static class VariantAssignment
{
    private const ulong VariantSalt = 0x9E3779B97F4A7C15;
    private const ulong SampleSalt = 0xD1B54A32D192ED03;

    /// <summary>The customer's variant of the campaign, in proportion to the weights.</summary>
    public static string Pick(long campaignId, long customerId, IReadOnlyList<VariantContent> variants)
    {
        ArgumentOutOfRangeException.ThrowIfZero(variants.Count);
        var total = 0L;
        foreach (var variant in variants)
        {
            total += variant.Weight;
        }
        // A uniform point in [0, total): the top 53 bits as a fraction, so no modulo bias.
        var point = (long)(Unit(Hash(campaignId, customerId, VariantSalt)) * total);
        foreach (var variant in variants)
        {
            point -= variant.Weight;
            if (point < 0)
            {
                return variant.Key;
            }
        }
        return variants[^1].Key;
    }

    /// <summary>The customer's place in the campaign's A/B sample order: the lowest ranks form the sample.</summary>
    /// <remarks>Non-negative, so it sorts the same in .NET and as a Postgres <c>bigint</c>.</remarks>
    public static long SampleRank(long campaignId, long customerId) => (long)(Hash(campaignId, customerId, SampleSalt) >> 1);

    private static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong Hash(long campaignId, long customerId, ulong salt)
    {
        var z = Mix((ulong)campaignId ^ salt) ^ (ulong)customerId;
        return Mix(z + salt);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
