using Campaigns.ProviderSimulator.Control;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Receipts;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>What every simulated send endpoint uses: the control state, the outcome rules, latency and receipts.</summary>
public sealed class Simulation(
    ProviderControl control,
    OutcomeRules rules,
    SendLatency latency,
    ReceiptPlanner planner,
    ReceiptPoster poster,
    ILogger<Simulation> logger)
{
    public ProviderControl Control => control;

    public OutcomeRules Rules => rules;

    public SendLatency Latency => latency;

    public ILogger Logger => logger;

    /// <summary>Plans a message's receipts from its fate.</summary>
    public ReceiptPlan PlanReceipts(Decision decision, bool readable, Func<ReceiptStep, DateTimeOffset, Receipt> build) =>
        planner.Plan(ReceiptStep.For(decision, readable), build);

    /// <summary>Queues the receipts of accepted messages, and posts the early ones now, before the send answers.</summary>
    public Task StartReceiptsAsync(IEnumerable<ReceiptPlan> plans, CancellationToken cancellationToken)
    {
        var early = new List<Task>();
        foreach (var plan in plans)
        {
            poster.Schedule(plan);
            if (plan.Early is { } receipt)
            {
                early.Add(poster.PostAsync(receipt, cancellationToken));
            }
        }
        return Task.WhenAll(early);
    }
}
