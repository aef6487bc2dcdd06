using Campaigns.Api.Contracts;

namespace Campaigns.Api.Data;

/// <summary>Who a send goes to: an explicit list of ids (deduplicated, sorted) or a server-side filter.</summary>
public abstract record Recipients
{
    public sealed record Listed(long[] SortedDistinctIds) : Recipients;

    public sealed record Matching(AudienceFilter Filter) : Recipients;

    public static Listed FromIds(IEnumerable<long> ids)
    {
        var distinct = ids.Distinct().ToArray();
        Array.Sort(distinct);
        return new Listed(distinct);
    }
}
