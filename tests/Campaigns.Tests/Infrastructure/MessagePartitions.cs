using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// Which partitions of <c>outbound_messages</c> a plan reads (migration 0042: ranges of campaign_id named
/// outbound_messages_r0000, _r0001, …, and the default partition outbound_messages_overflow; each index's partitions
/// named index_r0000, …, index_overflow). A partition pruned when the plan was made or when
/// it started is not in the plan at all; one pruned at run time, for each row of a join, shows <c>(never executed)</c>
/// in a plan captured with <see cref="NestedPlans.CaptureExecutedAsync"/>.
/// </summary>
public static partial class MessagePartitions
{
    /// <summary>The partitions a scan in the plan names, run or not.</summary>
    public static IReadOnlySet<string> Scanned(string plan) =>
        ScanLine().Matches(plan).Select(m => m.Groups["partition"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The partitions a scan in the plan actually read (plans captured with EXPLAIN ANALYZE).</summary>
    public static IReadOnlySet<string> Executed(string plan) =>
        ScanLine().Matches(plan).Where(m => m.Value.Contains("(actual rows=", StringComparison.Ordinal))
            .Select(m => m.Groups["partition"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The partitions a plan reads whole (a sequential scan) that held rows when it was planned. One that was empty
    /// then, as the ranges made ahead of the campaigns are, is rightly read whole at no cost ("cost=0.00..0.00").
    /// </summary>
    public static IReadOnlySet<string> ReadWhole(string plan) =>
        SeqScanLine().Matches(plan).Where(m => !m.Value.Contains("(cost=0.00..0.00 ", StringComparison.Ordinal))
            .Select(m => m.Groups["partition"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The suffix of a partition's name ("r0003" of outbound_messages_r0003), which its indexes' names end with.</summary>
    public static string Suffix(string partition) => partition["outbound_messages_".Length..];

    /// <summary>How many times the plan's partition scans ran in all (plans captured with EXPLAIN ANALYZE).</summary>
    public static int Loops(string plan) =>
        ScanLine().Matches(plan).Select(m => LoopsOf().Match(m.Value)).Where(m => m.Success)
            .Sum(m => int.Parse(m.Groups["loops"].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The partitions (their suffixes, "r0003") whose part of the given index the plan reads.</summary>
    public static IReadOnlySet<string> ReadThrough(string plan, string index) =>
        Regex.Matches(plan, $@"\b{Regex.Escape(index)}_(?<suffix>r\d{{4,}}|overflow)\b").Select(m => m.Groups["suffix"].Value)
            .ToHashSet(StringComparer.Ordinal);

    // A scan node of a partition, to the end of its line: "Index Scan using … on outbound_messages_r0003 m_4 (…)",
    // "Index Scan Backward using … on …", "Seq Scan on outbound_messages_r0003", "Bitmap Heap Scan on outbound_messages_overflow m_4".
    [GeneratedRegex(@"Scan (?:Backward )?(?:using \S+ )?on (?<partition>outbound_messages_(?:r\d{4,}|overflow))\b[^\n]*")]
    private static partial Regex ScanLine();

    [GeneratedRegex(@"Seq Scan on (?<partition>outbound_messages_(?:r\d{4,}|overflow))\b[^\n]*")]
    private static partial Regex SeqScanLine();

    [GeneratedRegex(@"\(actual rows=\d+ loops=(?<loops>\d+)\)")]
    private static partial Regex LoopsOf();
}
