using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>
/// When each receipt of an accepted message is posted, as real providers do it: <c>sent</c> soon, the
/// final one after the configured delay, a read later still; and, at the configured rates, one receipt
/// twice, the final one before <c>sent</c>, or <c>sent</c> before the send's answer (early).
/// </summary>
public sealed class ReceiptPlanner(IOptions<SimulatorOptions> options, TimeProvider time)
{
    private const double SentShare = 0.3;
    private const double ReadLag = 0.5;

    private readonly SimulatorOptions _options = options.Value;

    /// <param name="build">Builds the receipt of a step as it happened at the given time.</param>
    public ReceiptPlan Plan(IReadOnlyList<ReceiptStep> steps, Func<ReceiptStep, DateTimeOffset, Receipt> build)
    {
        if (steps.Count == 0)
        {
            return ReceiptPlan.None;
        }
        var now = time.GetUtcNow();
        var final = TimeSpan.FromMilliseconds(Random.Shared.Next(_options.ReceiptDelayMinMs, _options.ReceiptDelayMaxMs + 1));
        var later = new List<(Receipt Receipt, DateTimeOffset Due)>(steps.Count + 1);
        Receipt? early = null;
        for (var i = 0; i < steps.Count; i++)
        {
            // Timestamps stay in the order things happened; only the posting order is ever shuffled.
            var at = now + i switch
            {
                0 => final * SentShare,
                1 => final,
                _ => final * (1 + (ReadLag * (i - 1))),
            };
            if (i == 0 && steps[0].Kind == ReceiptKind.Sent && Chance(_options.EarlyRate))
            {
                early = build(steps[0], now);
                continue;
            }
            later.Add((build(steps[i], at), at));
        }
        if (early is null && later.Count >= 2 && Chance(_options.OutOfOrderRate))
        {
            // The final receipt overtakes sent.
            (later[0], later[1]) = ((later[0].Receipt, later[1].Due), (later[1].Receipt, later[0].Due));
        }
        if (later.Count > 0 && Chance(_options.DuplicateRate))
        {
            var (receipt, due) = later[Random.Shared.Next(later.Count)];
            later.Add((receipt, due + TimeSpan.FromMilliseconds(Random.Shared.Next(50, 1_000))));
        }
        return new ReceiptPlan(early, later);
    }

    private static bool Chance(double rate) => rate > 0 && Random.Shared.NextDouble() < rate;
}

/// <summary>The receipts of one message: one to post before the send's answer, if any, and the rest by due time.</summary>
public sealed record ReceiptPlan(Receipt? Early, IReadOnlyList<(Receipt Receipt, DateTimeOffset Due)> Later)
{
    public static readonly ReceiptPlan None = new(null, []);
}
