using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// Which partitions of <c>outbound_messages</c> a plan reads (migration 0030: outbound_messages_p00 … _p15, by hash
/// of campaign_id, each index's partitions named index_p00 … _p15). A partition pruned when the plan was made or when
/// it started is not in the plan at all; one pruned at run time, for each row of a join, shows <c>(never executed)</c>
/// in a plan captured with <see cref="NestedPlans.CaptureExecutedAsync"/>.
/// </summary>
public static partial class MessagePartitions
{
    public const int Count = 16;

    /// <summary>The partitions a scan in the plan names, run or not.</summary>
    public static IReadOnlySet<string> Scanned(string plan) =>
        ScanLine().Matches(plan).Select(m => m.Groups["partition"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The partitions a scan in the plan actually read (plans captured with EXPLAIN ANALYZE).</summary>
    public static IReadOnlySet<string> Executed(string plan) =>
        ScanLine().Matches(plan).Where(m => m.Value.Contains("(actual rows=", StringComparison.Ordinal))
            .Select(m => m.Groups["partition"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>How many times the plan's partition scans ran in all (plans captured with EXPLAIN ANALYZE).</summary>
    public static int Loops(string plan) =>
        ScanLine().Matches(plan).Select(m => LoopsOf().Match(m.Value)).Where(m => m.Success)
            .Sum(m => int.Parse(m.Groups["loops"].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The partitions (their suffixes, "p03") whose part of the given index the plan reads.</summary>
    public static IReadOnlySet<string> ReadThrough(string plan, string index) =>
        Regex.Matches(plan, $@"\b{Regex.Escape(index)}_(?<suffix>p\d\d)\b").Select(m => m.Groups["suffix"].Value)
            .ToHashSet(StringComparer.Ordinal);

    // A scan node of a partition, to the end of its line: "Index Scan using … on outbound_messages_p03 m_4 (…)",
    // "Index Scan Backward using … on …", "Seq Scan on outbound_messages_p03", "Bitmap Heap Scan on outbound_messages_p03 m_4".
    [GeneratedRegex(@"Scan (?:Backward )?(?:using \S+ )?on (?<partition>outbound_messages_p\d\d)\b[^\n]*")]
    private static partial Regex ScanLine();

    [GeneratedRegex(@"\(actual rows=\d+ loops=(?<loops>\d+)\)")]
    private static partial Regex LoopsOf();
}
