using System.Diagnostics.Metrics;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// A batch takes a ticket per job: one per send slot plus the claims ahead (Worker:ClaimAhead). Every ticket is
/// used by a send (freed when the call ends) or handed back: none leaks; a claim ahead starts when a slot frees.
/// </summary>
public sealed class SendSlotsTests
{
    private const int Concurrency = 4;
    private const int ClaimAhead = 2;
    private const int Tickets = Concurrency + ClaimAhead;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Slots_no_send_used_are_handed_back_on_dispose()
    {
        var pipeline = Pipeline(new HeldSender());
        using (var slots = await TakeAsync(pipeline, Tickets, wanted: 100))
        {
            Assert.Equal(Tickets, slots.Count);
        }

        using var again = await TakeAsync(pipeline, Tickets);
        Assert.Equal(Tickets, again.Count);
    }

    [Fact]
    public async Task A_used_slot_stays_taken_until_its_send_finishes()
    {
        var sender = new HeldSender();
        var pipeline = Pipeline(sender);
        using (var slots = await TakeAsync(pipeline, Tickets))
        {
            await slots.StartAsync(Message(1), Ct);
        }

        using (var rest = await TakeAsync(pipeline, minimum: 1))
        {
            Assert.Equal(Tickets - 1, rest.Count);
        }
        sender.Finish();
        using var all = await TakeAsync(pipeline, Tickets);
        Assert.Equal(Tickets, all.Count);
    }

    [Fact]
    public async Task A_claim_ahead_starts_as_soon_as_a_slot_frees()
    {
        var sender = new HeldSender();
        var pipeline = Pipeline(sender);
        using var slots = await TakeAsync(pipeline, Tickets);
        for (var id = 1; id <= Concurrency; id++)
        {
            await slots.StartAsync(Message(id), Ct);
        }

        var ahead = slots.StartAsync(Message(Concurrency + 1), Ct).AsTask();
        // Every slot is held by a call that has not finished: the claim ahead can only wait.
        Assert.False(ahead.IsCompleted, "a claim ahead started with every slot busy");

        sender.Finish();
        await ahead.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task A_batch_cannot_start_more_sends_than_it_has_slots()
    {
        var pipeline = Pipeline(new HeldSender());
        using var slots = await TakeAsync(pipeline, minimum: 1, wanted: 1);

        await slots.StartAsync(Message(1), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => slots.StartAsync(Message(2), Ct).AsTask());
    }

    /// <summary>Waits for <paramref name="minimum"/> slots; a slot that leaked makes this time out.</summary>
    private static async Task<SendSlots> TakeAsync(SendPipeline pipeline, int minimum, int wanted = Tickets)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await pipeline.TakeSlotsAsync(wanted, minimum, TimeSpan.FromSeconds(10), timeout.Token);
    }

    private static SendPipeline Pipeline(IMessageSender sender)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new SendPipeline(new MessageSenders([sender]), new WorkerMetrics(meters, new QueueState(), new Campaigns.Worker.Providers.ProviderCircuitStates()),
            Microsoft.Extensions.Options.Options.Create(new WorkerOptions { Concurrency = Concurrency, ClaimAhead = ClaimAhead }),
            NullLogger<SendPipeline>.Instance);
    }

    private static ClaimedMessage Message(long id) => new()
    {
        Id = id, CampaignId = 1, RetryCount = 0, Content = "Hi", Channel = HeldSender.ChannelName, Phone = "+254700000000",
        EntryIds = [], Batch = new JobBatch(null),
    };

    /// <summary>A provider whose calls last until <see cref="Finish"/>.</summary>
    private sealed class HeldSender : IMessageSender
    {
        public const string ChannelName = "sms";
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Channel => ChannelName;

        public void Finish() => _finish.TrySetResult();

        public async ValueTask<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken)
        {
            await _finish.Task.WaitAsync(cancellationToken);
            return SendResult.Sent;
        }
    }
}
