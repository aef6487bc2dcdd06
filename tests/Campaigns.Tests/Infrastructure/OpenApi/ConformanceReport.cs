using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// What every validated exchange of the run came to: counts per operation and status, and each distinct
/// mismatch with how often it was seen. Many clients record into it at once.
/// </summary>
public sealed class ConformanceReport
{
    // Enough for a document gone badly wrong; one fault is one line however often it was met.
    private const int MismatchesListed = 500;

    private readonly ConcurrentDictionary<(string Operation, int Status), StrongBox<long>> _validated = new();
    private readonly ConcurrentDictionary<string, Mismatch> _mismatches = new();
    private long _skipped;

    public long Skipped => Interlocked.Read(ref _skipped);

    public long MismatchCount => _mismatches.Values.Sum(mismatch => Interlocked.Read(ref mismatch.Count.Value));

    public long Validated(string operation) =>
        _validated.Where(entry => entry.Key.Operation == operation).Sum(entry => Interlocked.Read(ref entry.Value.Value));

    /// <summary>Each distinct kind of mismatch (operation, status, message without its values) with how often, and an example.</summary>
    public IReadOnlyList<string> DistinctMismatches =>
        [.. _mismatches.OrderByDescending(entry => entry.Value.Count.Value).ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => $"{entry.Key} ×{entry.Value.Count.Value}{Environment.NewLine}      e.g. {entry.Value.Example}")];

    /// <summary>Each verdict as it is recorded, so a test can see that its own request was checked.</summary>
    public event Action<ContractVerdict>? Recorded;

    public void Record(ContractVerdict verdict)
    {
        Recorded?.Invoke(verdict);
        if (verdict.IsSkipped)
        {
            Interlocked.Increment(ref _skipped);
            return;
        }
        Interlocked.Increment(ref _validated.GetOrAdd((verdict.Operation!, verdict.Status), _ => new StrongBox<long>()).Value);
        foreach (var message in verdict.Mismatches.Where(message => !MismatchKind.IsMore(message)))
        {
            var mismatch = _mismatches.GetOrAdd($"{verdict.Operation} → {verdict.Status}: {MismatchKind.Of(message)}",
                _ => new Mismatch($"{Shorten(verdict.Request)}: {message}"));
            Interlocked.Increment(ref mismatch.Count.Value);
        }
    }

    public void RecordSkipped() => Interlocked.Increment(ref _skipped);

    /// <param name="operations">Every operation of the document, so the ones never exercised are named.</param>
    public string Summary(IEnumerable<string> operations)
    {
        var byOperation = _validated.GroupBy(entry => entry.Key.Operation).ToDictionary(group => group.Key, group => group.ToList());
        var text = new StringBuilder();
        text.AppendLine($"OpenAPI conformance: {byOperation.Values.Sum(g => g.Sum(e => e.Value.Value))} exchanges validated against the live document, " +
            $"{Skipped} skipped (not in the document), {MismatchCount} mismatches ({_mismatches.Count} distinct).");
        foreach (var (operation, statuses) in byOperation.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            var counts = string.Join(", ", statuses.OrderBy(entry => entry.Key.Status).Select(entry => $"{entry.Key.Status}×{entry.Value.Value}"));
            text.AppendLine($"  {operation}: {counts}");
        }
        var never = operations.Where(operation => !byOperation.ContainsKey(operation)).ToList();
        if (never.Count > 0)
        {
            text.AppendLine($"  Never exercised: {string.Join(", ", never)}");
        }
        foreach (var mismatch in DistinctMismatches.Take(MismatchesListed))
        {
            text.AppendLine($"  MISMATCH {mismatch}");
        }
        if (_mismatches.Count > MismatchesListed)
        {
            text.AppendLine($"  … {_mismatches.Count - MismatchesListed} more distinct mismatches");
        }
        return text.ToString();
    }

    private static string Shorten(string request) => request.Length <= 120 ? request : request[..119] + "…";

    private sealed class Mismatch(string example)
    {
        public string Example => example;

        public StrongBox<long> Count { get; } = new();
    }
}
