using System.Diagnostics;
using Campaigns.ProviderSimulator.Control;
using Campaigns.ProviderSimulator.Outcomes;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Telemetry;

namespace Campaigns.ProviderSimulator.Sending;

/// <summary>What every simulated send endpoint uses: the control state, the outcome rules, latency and receipts.</summary>
public sealed class Simulation(
    ProviderControl control,
    OutcomeRules rules,
    SendLatency latency,
    ReceiptPlanner planner,
    ReceiptPoster poster,
    IHostApplicationLifetime lifetime,
    ILogger<Simulation> logger)
{
    public ProviderControl Control => control;

    public OutcomeRules Rules => rules;

    /// <summary>
    /// Answers one send request: in its own span, after the configured latency (counted from arrival,
    /// so an early receipt posted meanwhile is part of it), its outcome logged.
    /// </summary>
    public async Task<IResult> SendAsync(string provider, HttpContext http, Func<Activity?, Task<SendAnswer>> answer)
    {
        using var activity = SimulatorActivities.StartSend(provider);
        var deadline = latency.Start();
        var result = await answer(activity);
        if (result.Outcome != SendAnswer.TimeoutOutcome)
        {
            await deadline.WaitAsync(http.RequestAborted);
        }
        return result.Finish(activity, logger, provider);
    }

    /// <summary>A <c>timeout</c> outcome: holds the request past the caller's patience.</summary>
    public async Task<SendAnswer> HoldAsync(CancellationToken requestAborted, int recipients = 1) =>
        await latency.HangAsync(requestAborted) ? SendAnswer.TimedOut(recipients) : SendAnswer.Abandoned(recipients);

    /// <summary>Plans a message's receipts from its fate.</summary>
    public ReceiptPlan PlanReceipts(Decision decision, bool readable, Func<ReceiptStep, DateTimeOffset, Receipt> build) =>
        planner.Plan(ReceiptStep.For(decision, readable), build);

    /// <summary>
    /// Queues the receipts of accepted messages, and posts the early ones now, before the send answers
    /// (unless receipts are held: then they wait in the queue with the rest).
    /// </summary>
    public Task StartReceiptsAsync(IEnumerable<ReceiptPlan> plans, CancellationToken requestAborted)
    {
        var early = new List<Task>();
        foreach (var plan in plans)
        {
            if (poster.Schedule(plan) is { } receipt)
            {
                // The message was accepted: its receipt goes even if the caller hangs up meanwhile.
                early.Add(poster.PostAsync(receipt, lifetime.ApplicationStopping));
            }
        }
        return Task.WhenAll(early).WaitAsync(requestAborted);
    }
}
