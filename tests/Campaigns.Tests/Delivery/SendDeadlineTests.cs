using System.Diagnostics;
using System.Diagnostics.Metrics;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Options;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// A claim carries the time it may still go (its recipient's window closing, or its validity ending: the claim's
/// <c>send_within</c>). A send that starts after it calls no provider: the message is handed back uncharged, and its
/// next claim makes it wait for the next opening or expires it. One that starts in time goes, with the validity left.
/// </summary>
public sealed class SendDeadlineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_send_past_its_claims_limit_calls_no_provider_and_is_handed_back_without_an_attempt()
    {
        var sender = new RecordingSender();
        var pipeline = Pipeline(sender);
        var message = Message(1, sendBy: Stopwatch.GetTimestamp() - 1, validUntil: null);

        var finished = await SendAsync(pipeline, message);

        Assert.Empty(sender.Requests);
        var result = Assert.IsType<SendResult>(finished.Result);
        Assert.Equal(SendResultKind.NotSent, result.Kind);
        var outcome = AttemptOutcome.Decide(message.Id, message.RetryCount, result, maxAttempts: 3, backoff: _ => TimeSpan.FromSeconds(1));
        Assert.True(outcome.IsHandBack);
        Assert.Equal(TimeSpan.Zero, outcome.RetryDelay);
    }

    [Fact]
    public async Task A_send_in_time_goes_with_the_validity_left()
    {
        var sender = new RecordingSender();
        var pipeline = Pipeline(sender);
        var inAnHour = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3_600;
        var message = Message(2, sendBy: inAnHour, validUntil: inAnHour);

        var finished = await SendAsync(pipeline, message);

        Assert.Equal(SendResultKind.Sent, finished.Result!.Value.Kind);
        var request = Assert.Single(sender.Requests);
        Assert.InRange(request.ValidFor!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public async Task Without_limits_a_send_goes_with_no_validity()
    {
        var sender = new RecordingSender();

        await SendAsync(Pipeline(sender), Message(3, sendBy: null, validUntil: null));

        Assert.Null(Assert.Single(sender.Requests).ValidFor);
    }

    private static async Task<FinishedSend> SendAsync(SendPipeline pipeline, ClaimedMessage message)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using (var slots = await pipeline.TakeSlotsAsync(1, 1, TimeSpan.FromSeconds(1), timeout.Token))
        {
            await slots.StartAsync(message, timeout.Token);
        }
        return await pipeline.Outcomes.ReadAsync(timeout.Token);
    }

    private static SendPipeline Pipeline(IMessageSender sender)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new SendPipeline(new MessageSenders([sender]), new WorkerMetrics(meters, new QueueState(), new Campaigns.Worker.Providers.ProviderCircuitStates()),
            Microsoft.Extensions.Options.Options.Create(new WorkerOptions { Concurrency = 2 }), NullLogger<SendPipeline>.Instance);
    }

    private static ClaimedMessage Message(long id, long? sendBy, long? validUntil) => new()
    {
        Id = id, CampaignId = 1, RetryCount = 0, Content = "Hi", Channel = RecordingSender.ChannelName, Phone = "+254700000000",
        EntryIds = [], Batch = new JobBatch(null), SendBy = sendBy, ValidUntil = validUntil,
    };

    private sealed class RecordingSender : IMessageSender
    {
        public const string ChannelName = "sms";

        public List<SendRequest> Requests { get; } = [];

        public string Channel => ChannelName;

        public ValueTask<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }
            return ValueTask.FromResult(SendResult.Sent);
        }
    }
}
