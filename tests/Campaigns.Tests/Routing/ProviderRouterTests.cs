using Campaigns.Core.Domain;
using Campaigns.Tests.Infrastructure;
using Campaigns.Tests.Providers;
using Campaigns.Worker.Routing;
using Campaigns.Worker.Sending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Campaigns.Tests.Routing;

/// <summary>
/// A channel's provider chain as the worker builds it (<c>AddSenders</c>), against providers on local
/// fakes and the graph's Redis: failover and return, no failover of a permanent failure or an unknown
/// outcome, a 429 that pauses the provider without charging an attempt, Africa's Talking's bulk requests,
/// and WhatsApp Cloud only for templates.
/// </summary>
public sealed class ProviderRouterTests(AppFixture fixture) : IAsyncLifetime
{
    private const string Unavailable = "Service Unavailable";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ProviderFake _africasTalking = null!;
    private ProviderFake _twilio = null!;
    private ConnectionMultiplexer _redis = null!;

    public async ValueTask InitializeAsync()
    {
        _africasTalking = await ProviderFake.StartAsync(Ct);
        _twilio = await ProviderFake.StartAsync(Ct);
        _redis = await ConnectionMultiplexer.ConnectAsync(await fixture.Graph.ConnectionStringAsync("redis", Ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _africasTalking.DisposeAsync();
        await _twilio.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private IHost Host(string smsChain, string whatsAppChain = "twilio", Dictionary<string, string?>? extra = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Providers:Twilio:AccountSid"] = "AC123",
            ["Providers:Twilio:AuthToken"] = "secret-token",
            ["Providers:Twilio:From"] = "+15005550006",
            ["Providers:Twilio:WhatsAppFrom"] = "+15005550007",
            ["Providers:Twilio:BaseUrl"] = _twilio.BaseUrl.AbsoluteUri,
            ["Providers:AfricasTalking:Username"] = "sandbox",
            ["Providers:AfricasTalking:ApiKey"] = "at-key",
            ["Providers:AfricasTalking:BaseUrl"] = _africasTalking.BaseUrl.AbsoluteUri,
            ["Providers:WhatsAppCloud:AccessToken"] = "meta-token",
            ["Providers:WhatsAppCloud:PhoneNumberId"] = "1055",
            ["Providers:WhatsAppCloud:BaseUrl"] = _twilio.BaseUrl.AbsoluteUri,
            ["Webhooks:PublicBaseUrl"] = "https://campaigns.example.com/",
            // Opens after two failures, half-opens after half a second.
            ["Providers:Circuit:MinimumThroughput"] = "2",
            ["Providers:Circuit:BreakDuration"] = "00:00:00.500",
        };
        for (var (i, chain) = (0, smsChain.Split(',')); i < chain.Length; i++)
        {
            configuration[$"Providers:Sms:Chain:{i}"] = chain[i];
        }
        for (var (i, chain) = (0, whatsAppChain.Split(',')); i < chain.Length; i++)
        {
            configuration[$"Providers:WhatsApp:Chain:{i}"] = chain[i];
        }
        foreach (var (key, value) in extra ?? [])
        {
            configuration[key] = value;
        }
        return ProviderHost.BuildSenders(configuration, _redis);
    }

    private static ValueTask<SendResult> SendAsync(IHost host, SendRequest request, string channel = Channel.Sms) =>
        host.Services.GetRequiredService<MessageSenders>().For(channel).SendAsync(request, Ct);

    private static SendRequest Message(long id, string? text = null, string? attemptProvider = null, bool unknown = false,
        int sameTextInClaim = 1) =>
        new(id, attemptProvider is null ? 1 : 2, SendRequest.IdempotencyKeyFor(id), Unique.KenyanPhone(), text ?? $"Hello {id}")
        {
            AttemptProvider = attemptProvider,
            AttemptUnknown = unknown,
            SameTextInClaim = sameTextInClaim,
        };

    private static string AtAccepted(string phone, string id) =>
        $$$"""{"SMSMessageData":{"Message":"Sent to 1/1","Recipients":[{"statusCode":101,"number":"{{{phone}}}","status":"Success","cost":"KES 0.8","messageId":"{{{id}}}"}]}}""";

    private static string TwilioCreated(string sid) => $$"""{"sid":"{{sid}}","status":"queued"}""";

    [Fact]
    public async Task A_provider_that_is_down_moves_traffic_to_the_next_and_gets_it_back_when_it_recovers()
    {
        using var host = Host("africastalking,twilio");
        _africasTalking.Answer(503, Unavailable, "text/plain").Answer(503, Unavailable, "text/plain");
        for (var i = 0; i < 100; i++)
        {
            _twilio.Answer(201, TwilioCreated($"SM{i:D32}"));
        }

        // The first attempt goes to the head of the chain and fails transiently there: an attempt is charged.
        var first = await SendAsync(host, Message(1));
        Assert.Equal((SendResultKind.TransientFailure, "africastalking", false), (first.Kind, first.Provider, first.Unknown));
        // Its next attempt starts after that provider.
        var retry = await SendAsync(host, Message(1, attemptProvider: "africastalking"));
        Assert.Equal((SendResultKind.Sent, "twilio", $"SM{0:D32}"), (retry.Kind, retry.Provider, retry.ProviderMessageId));

        // A second failure opens Africa's Talking's circuit: new messages go straight to Twilio, no call to it.
        Assert.Equal(SendResultKind.TransientFailure, (await SendAsync(host, Message(2))).Kind);
        var skipped = await SendAsync(host, Message(3));
        Assert.Equal((SendResultKind.Sent, "twilio"), (skipped.Kind, skipped.Provider));
        Assert.Equal(2, _africasTalking.Requests.Count);

        // Back: once the circuit half-opens, a probe succeeds and messages go to the head of the chain again.
        var phoneBack = Unique.KenyanPhone();
        _africasTalking.Answer(201, AtAccepted(phoneBack, "ATXid_back"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        SendResult back;
        var id = 100;
        do
        {
            await Task.Delay(50, deadline.Token);
            back = await SendAsync(host, new SendRequest(id, 1, SendRequest.IdempotencyKeyFor(id++), phoneBack, "Back"));
        }
        while (back.Provider != "africastalking");
        Assert.Equal((SendResultKind.Sent, "ATXid_back"), (back.Kind, back.ProviderMessageId));
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_message_without_trying_the_next_provider()
    {
        using var host = Host("africastalking,twilio");
        var message = Message(10);
        _africasTalking.Answer(201, $$$"""{"SMSMessageData":{"Message":"Sent to 0/1","Recipients":[{"statusCode":406,"number":"{{{message.Phone}}}","status":"UserInBlacklist","cost":"0","messageId":"None"}]}}""");

        var result = await SendAsync(host, message);

        Assert.Equal((SendResultKind.PermanentFailure, "africastalking", "406", true),
            (result.Kind, result.Provider, result.ErrorCode, result.SuppressPhone));
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public async Task A_429_hands_the_message_back_without_an_attempt_and_pauses_the_provider_for_every_replica()
    {
        var key = ProviderPauses.KeyPrefix + "twilio";
        using var host = Host("twilio");
        _twilio.Answer(429, """{"code":20429,"message":"Too Many Requests","status":429}""", headers: new Dictionary<string, string> { ["Retry-After"] = "30" });
        try
        {
            var limited = await SendAsync(host, Message(20));
            Assert.Equal((SendResultKind.NotSent, "twilio"), (limited.Kind, limited.Provider));
            Assert.InRange(limited.RetryAfter, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(30));

            // Paused: the next message is handed back without a call.
            var waiting = await SendAsync(host, Message(21));
            Assert.Equal(SendResultKind.NotSent, waiting.Kind);
            Assert.Single(_twilio.Requests);

            // Shared: the pause is in Redis for the other replicas (written fire-and-forget, so polled).
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            TimeSpan? ttl;
            while ((ttl = await _redis.GetDatabase().KeyTimeToLiveAsync(key)) is null)
            {
                await Task.Delay(20, deadline.Token);
            }
            Assert.InRange(ttl.Value, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        }
        finally
        {
            await _redis.GetDatabase().KeyDeleteAsync(key);
        }
    }

    [Fact]
    public async Task An_unknown_outcome_is_retried_only_at_the_same_provider()
    {
        using var host = Host("twilio,africastalking", extra: new() { ["Worker:SendTimeout"] = "00:00:00.400" });
        _twilio.Answer(201, TwilioCreated("SMlate"), delay: TimeSpan.FromSeconds(5)).Answer(201, TwilioCreated("SMonce"));

        var lost = await SendAsync(host, Message(30));
        Assert.Equal((SendResultKind.TransientFailure, "twilio", true), (lost.Kind, lost.Provider, lost.Unknown));

        var again = await SendAsync(host, Message(30, attemptProvider: "twilio", unknown: true));
        Assert.Equal((SendResultKind.Sent, "twilio", "SMonce"), (again.Kind, again.Provider, again.ProviderMessageId));
        Assert.Empty(_africasTalking.Requests);
        // Both attempts carried the one key of the message.
        Assert.All(_twilio.Requests, r => Assert.EndsWith("key=msg-30", r.Field("StatusCallback")));
    }

    [Fact]
    public async Task Messages_of_one_text_go_to_Africas_Talking_together_and_each_gets_its_own_outcome()
    {
        using var host = Host("africastalking");
        var messages = Enumerable.Range(40, 5).Select(id => Message(id, text: "Flash sale today", sameTextInClaim: 5)).ToArray();
        var entries = messages.Select((m, i) =>
            $$"""{"statusCode":101,"number":"{{m.Phone}}","status":"Success","cost":"KES 0.8","messageId":"ATXid_{{i}}"}""");
        _africasTalking.Answer(201, $$$"""{"SMSMessageData":{"Message":"Sent to 5/5","Recipients":[{{{string.Join(',', entries)}}}]}}""");

        var results = await Task.WhenAll(messages.Select(m => SendAsync(host, m).AsTask()));

        var request = Assert.Single(_africasTalking.Requests);
        Assert.Equal(messages.Select(m => m.Phone).Order(), request.Field("to").Split(',').Order());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"ATXid_{i}"), results.Select(r => r.ProviderMessageId));
    }

    [Fact]
    public async Task A_text_no_other_claimed_message_shares_goes_to_Africas_Talking_alone_without_waiting_for_company()
    {
        using var host = Host("africastalking");
        var first = Message(45, text: "Hi Amina, your order is ready");
        var second = Message(46, text: "Hi Amina, your order is ready");
        // Each answer names both phones (the client takes its own), whichever request comes first.
        var both = $$$"""{"SMSMessageData":{"Message":"Sent to 1/1","Recipients":[{"statusCode":101,"number":"{{{first.Phone}}}","status":"Success","cost":"KES 0.8","messageId":"ATXid_a"},{"statusCode":101,"number":"{{{second.Phone}}}","status":"Success","cost":"KES 0.8","messageId":"ATXid_b"}]}}""";
        _africasTalking.Answer(201, both).Answer(201, both);

        // Both at once: with company announced they would share a request; announced alone, each goes by itself.
        var results = await Task.WhenAll(SendAsync(host, first).AsTask(), SendAsync(host, second).AsTask());

        Assert.Equal(2, _africasTalking.Requests.Count);
        Assert.All(_africasTalking.Requests, request => Assert.DoesNotContain(',', request.Field("to")));
        Assert.Equal(("ATXid_a", "ATXid_b"), (results[0].ProviderMessageId, results[1].ProviderMessageId));
    }

    [Fact]
    public async Task WhatsApp_Cloud_takes_only_messages_with_a_template_and_the_chain_carries_the_rest()
    {
        // Both fakes' roles: Twilio's fake also serves the Graph API path, so the path tells them apart.
        using var host = Host("twilio", whatsAppChain: "whatsapp-cloud,twilio");
        _twilio.Answer(201, TwilioCreated("SMwa"));
        var plain = await SendAsync(host, Message(50), Channel.WhatsApp);
        Assert.Equal(("twilio", "SMwa"), (plain.Provider, plain.ProviderMessageId));
        Assert.StartsWith("whatsapp:+", _twilio.Requests[^1].Field("To"));

        _twilio.Answer(200, """{"messaging_product":"whatsapp","contacts":[],"messages":[{"id":"wamid.one"}]}""");
        var templated = await SendAsync(host, Message(51) with
        {
            Template = new WhatsAppTemplate("spring_sale", "en", ["{first_name}"]),
            TemplateParameters = ["Amina"],
        }, Channel.WhatsApp);
        Assert.Equal(("whatsapp-cloud", "wamid.one"), (templated.Provider, templated.ProviderMessageId));
        Assert.Equal("/v23.0/1055/messages", _twilio.Requests[^1].Path);
    }
}
