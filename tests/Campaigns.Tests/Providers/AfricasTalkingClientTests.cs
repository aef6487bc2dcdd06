using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Providers;

/// <summary>The Africa's Talking adapter against a local fake: one bulk request, outcomes per recipient.</summary>
public sealed class AfricasTalkingClientTests : IAsyncLifetime
{
    private ProviderFake _fake = null!;
    private IHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await ProviderFake.StartAsync(TestContext.Current.CancellationToken);
        _host = ProviderHost.Build(new Dictionary<string, string?>
        {
            ["Providers:AfricasTalking:Username"] = "campaigns",
            ["Providers:AfricasTalking:ApiKey"] = "at-secret",
            ["Providers:AfricasTalking:From"] = "SHOP",
            ["Providers:AfricasTalking:BaseUrl"] = _fake.BaseUrl.AbsoluteUri,
        }, services => services.AddAfricasTalkingClient());
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<IReadOnlyList<ProviderOutcome>> SendAsync(params string[] phones) =>
        _host.Services.GetRequiredService<AfricasTalkingClient>().SendAsync(phones, "Sale: 20% off today", TestContext.Current.CancellationToken);

    private static string Answer(params (string Number, int StatusCode, string Status, string MessageId)[] recipients)
    {
        var entries = recipients.Select(r =>
            $$"""{"statusCode":{{r.StatusCode}},"number":"{{r.Number}}","status":"{{r.Status}}","cost":"KES 0.8000","messageId":"{{r.MessageId}}"}""");
        var sent = recipients.Count(r => r.StatusCode < 200);
        return $$$"""{"SMSMessageData":{"Message":"Sent to {{{sent}}}/{{{recipients.Length}}} Total Cost: KES 0.8000","Recipients":[{{{string.Join(',', entries)}}}]}}""";
    }

    [Fact]
    public async Task Many_recipients_go_in_one_request_and_mixed_results_map_back_by_number()
    {
        // Answered in another order than asked, as nothing promises the order.
        _fake.Answer(201, Answer(
            ("+254711000003", 406, "UserInBlacklist", "None"),
            ("+254711000001", 101, "Success", "ATXid_one"),
            ("+254711000004", 405, "InsufficientBalance", "None"),
            ("+254711000002", 403, "InvalidPhoneNumber", "None")));

        var outcomes = await SendAsync("+254711000001", "+254711000002", "+254711000003", "+254711000004");

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/version1/messaging", request.Path);
        Assert.Equal("at-secret", request.Header("apiKey"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        KeyValuePair<string, string>[] expected =
        [
            new("username", "campaigns"),
            new("to", "+254711000001,+254711000002,+254711000003,+254711000004"),
            new("message", "Sale: 20% off today"),
            new("from", "SHOP"),
            new("bulkSMSMode", "1"),
        ];
        Assert.Equal(expected, request.Form);

        Assert.Equal(ProviderOutcomeKind.Accepted, outcomes[0].Kind);
        Assert.Equal("ATXid_one", outcomes[0].ProviderMessageId);
        Assert.Equal(ProviderOutcomeKind.PermanentFailure, outcomes[1].Kind);
        Assert.False(outcomes[1].SuppressPhone);
        Assert.Equal(ProviderOutcomeKind.PermanentFailure, outcomes[2].Kind);
        Assert.True(outcomes[2].SuppressPhone);
        Assert.Equal("406", outcomes[2].ErrorCode);
        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcomes[3].Kind);
        Assert.True(outcomes[3].CircuitFailure);
    }

    [Theory]
    [InlineData(100, ProviderOutcomeKind.Accepted, false)]
    [InlineData(101, ProviderOutcomeKind.Accepted, false)]
    [InlineData(102, ProviderOutcomeKind.Accepted, false)]
    [InlineData(401, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(402, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(403, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(404, ProviderOutcomeKind.TransientFailure, false)]
    [InlineData(405, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(406, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(407, ProviderOutcomeKind.TransientFailure, false)]
    [InlineData(409, ProviderOutcomeKind.TransientFailure, false)]
    [InlineData(500, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(501, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(502, ProviderOutcomeKind.TransientFailure, false)]
    public async Task A_recipient_status_code_maps_to_its_class(int statusCode, ProviderOutcomeKind kind, bool circuit)
    {
        var accepted = statusCode < 200;
        _fake.Answer(201, Answer(("+254711000001", statusCode, accepted ? "Success" : "Rejected", accepted ? "ATXid_x" : "None")));

        var outcome = Assert.Single(await SendAsync("+254711000001"));

        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(circuit, outcome.CircuitFailure);
        Assert.Equal(accepted ? "ATXid_x" : null, outcome.ProviderMessageId);
    }

    [Fact]
    public async Task A_phone_missing_from_the_answer_has_an_unknown_outcome()
    {
        _fake.Answer(201, Answer(("+254711000001", 101, "Success", "ATXid_one")));

        var outcomes = await SendAsync("+254711000001", "+254711000002");

        Assert.Equal(ProviderOutcomeKind.Accepted, outcomes[0].Kind);
        Assert.Equal(ProviderOutcomeKind.Unknown, outcomes[1].Kind);
    }

    [Fact]
    public async Task A_request_level_error_fails_every_recipient_transiently_and_is_asked_once()
    {
        _fake.Answer(401, "The supplied authentication is invalid", "text/plain");

        var outcomes = await SendAsync("+254711000001", "+254711000002");

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
            Assert.True(outcome.CircuitFailure);
            Assert.Equal("401", outcome.ErrorCode);
        });
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_5xx_is_asked_once()
    {
        _fake.Answer(503, "Service Unavailable", "text/plain");

        var outcome = Assert.Single(await SendAsync("+254711000001"));

        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_429_hands_every_recipient_back_after_Retry_After()
    {
        _fake.Answer(429, "Too many requests", "text/plain", new Dictionary<string, string> { ["Retry-After"] = "3" });

        var outcomes = await SendAsync("+254711000001", "+254711000002");

        Assert.All(outcomes, outcome =>
        {
            Assert.Equal(ProviderOutcomeKind.RateLimited, outcome.Kind);
            Assert.Equal(TimeSpan.FromSeconds(3), outcome.RetryAfter);
        });
    }

    [Fact]
    public async Task The_same_phone_twice_is_refused_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SendAsync("+254711000001", "+254 711 000001"));

        Assert.Empty(_fake.Requests);
    }
}
