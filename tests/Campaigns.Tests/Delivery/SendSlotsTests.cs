using System.Diagnostics.Metrics;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Campaigns.Tests.Delivery;

/// <summary>Every slot a batch takes is used by a send (freed when the call ends) or handed back: none leaks.</summary>
public sealed class SendSlotsTests
{
    private const int Concurrency = 4;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Slots_no_send_used_are_handed_back_on_dispose()
    {
        var pipeline = Pipeline(new HeldSender());
        using (var slots = await TakeAsync(pipeline, Concurrency))
        {
            Assert.Equal(Concurrency, slots.Count);
        }

        using var again = await TakeAsync(pipeline, Concurrency);
        Assert.Equal(Concurrency, again.Count);
    }

    [Fact]
    public async Task A_used_slot_stays_taken_until_its_send_finishes()
    {
        var sender = new HeldSender();
        var pipeline = Pipeline(sender);
        using (var slots = await TakeAsync(pipeline, Concurrency))
        {
            slots.Start(Message(1));
        }

        using (var rest = await TakeAsync(pipeline, minimum: 1))
        {
            Assert.Equal(Concurrency - 1, rest.Count);
        }
        sender.Finish();
        using var all = await TakeAsync(pipeline, Concurrency);
        Assert.Equal(Concurrency, all.Count);
    }

    [Fact]
    public async Task A_batch_cannot_start_more_sends_than_it_has_slots()
    {
        var pipeline = Pipeline(new HeldSender());
        using var slots = await TakeAsync(pipeline, minimum: 1, wanted: 1);

        slots.Start(Message(1));
        Assert.Throws<InvalidOperationException>(() => slots.Start(Message(2)));
    }

    /// <summary>Waits for <paramref name="minimum"/> slots; a slot that leaked makes this time out.</summary>
    private static async Task<SendSlots> TakeAsync(SendPipeline pipeline, int minimum, int wanted = Concurrency)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await pipeline.TakeSlotsAsync(wanted, minimum, TimeSpan.FromSeconds(10), timeout.Token);
    }

    private static SendPipeline Pipeline(IMessageSender sender)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new SendPipeline(new MessageSenders([sender]), new WorkerMetrics(meters, new QueueState(), new Campaigns.Worker.Providers.ProviderCircuitStates()),
            Microsoft.Extensions.Options.Options.Create(new WorkerOptions { Concurrency = Concurrency }),
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
