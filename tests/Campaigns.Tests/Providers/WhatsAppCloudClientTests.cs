using System.Globalization;
using System.Text.Json.Nodes;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Providers;

/// <summary>The WhatsApp Cloud API adapter against a local fake: the template message and every error class.</summary>
public sealed class WhatsAppCloudClientTests : IAsyncLifetime
{
    private const string Accepted = """
        {"messaging_product":"whatsapp","contacts":[{"input":"254711000001","wa_id":"254711000001"}],
         "messages":[{"id":"wamid.HBgMMjU0NzExMDAwMDAxFQIAERgSQzE=","message_status":"accepted"}]}
        """;

    private ProviderFake _fake = null!;
    private IHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await ProviderFake.StartAsync(TestContext.Current.CancellationToken);
        _host = ProviderHost.Build(new Dictionary<string, string?>
        {
            ["Providers:WhatsAppCloud:AccessToken"] = "EAAG-secret",
            ["Providers:WhatsAppCloud:PhoneNumberId"] = "106540352242922",
            ["Providers:WhatsAppCloud:ApiVersion"] = "v23.0",
            ["Providers:WhatsAppCloud:BaseUrl"] = _fake.BaseUrl.AbsoluteUri,
        }, services => services.AddWhatsAppCloudClient());
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private Task<ProviderOutcome> SendAsync(params string[] parameters) =>
        _host.Services.GetRequiredService<WhatsAppCloudClient>().SendAsync(
            new WhatsAppTemplateMessage("+254711000001", "order_ready", "en_US", parameters, "msg-123"),
            TestContext.Current.CancellationToken);

    private static string Error(int code, string message = "(#0) Meta says no") => $$$"""
        {"error":{"message":"{{{message}}}","type":"OAuthException","code":{{{code}}},
         "error_data":{"messaging_product":"whatsapp","details":"details"},"fbtrace_id":"AbCdEf"}}
        """;

    [Fact]
    public async Task A_send_posts_the_template_with_the_rendered_parameters_and_a_bearer_token()
    {
        _fake.Answer(200, Accepted);

        var outcome = await SendAsync("Ann", "Nairobi");

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v23.0/106540352242922/messages", request.Path);
        Assert.Equal("Bearer EAAG-secret", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.ContentType);
        var expected = JsonNode.Parse("""
            {"messaging_product":"whatsapp","recipient_type":"individual","to":"254711000001","type":"template",
             "template":{"name":"order_ready","language":{"code":"en_US"},
              "components":[{"type":"body","parameters":[{"type":"text","text":"Ann"},{"type":"text","text":"Nairobi"}]}]},
             "biz_opaque_callback_data":"msg-123"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(request.Body)), request.Body);
        Assert.Equal(ProviderOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal("wamid.HBgMMjU0NzExMDAwMDAxFQIAERgSQzE=", outcome.ProviderMessageId);
    }

    [Fact]
    public async Task A_template_without_parameters_sends_no_components()
    {
        _fake.Answer(200, Accepted);

        await SendAsync();

        var template = JsonNode.Parse(Assert.Single(_fake.Requests).Body)!["template"]!.AsObject();
        Assert.False(template.ContainsKey("components"));
    }

    [Theory]
    [InlineData(400, 130429, ProviderOutcomeKind.RateLimited, false)]
    [InlineData(429, 130429, ProviderOutcomeKind.RateLimited, false)]
    [InlineData(400, 4, ProviderOutcomeKind.RateLimited, false)]
    [InlineData(400, 80007, ProviderOutcomeKind.RateLimited, false)]
    [InlineData(400, 131056, ProviderOutcomeKind.RateLimited, false)]
    [InlineData(400, 131048, ProviderOutcomeKind.TransientFailure, false)]
    [InlineData(400, 131026, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(400, 131047, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(404, 132001, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(400, 132000, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(400, 100, ProviderOutcomeKind.PermanentFailure, false)]
    [InlineData(500, 1, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(503, 2, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(500, 131000, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(401, 190, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(400, 133010, ProviderOutcomeKind.TransientFailure, true)]
    [InlineData(400, 131042, ProviderOutcomeKind.TransientFailure, true)]
    public async Task An_error_code_maps_to_its_class(int status, int code, ProviderOutcomeKind kind, bool circuit)
    {
        _fake.Answer(status, Error(code));

        var outcome = await SendAsync("Ann");

        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(code.ToString(CultureInfo.InvariantCulture), outcome.ErrorCode);
        Assert.Equal(circuit, outcome.CircuitFailure);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Rate_limits_wait_per_their_kind_and_only_the_pair_limit_leaves_the_provider_unslowed()
    {
        _fake.Answer(400, Error(130429))
            .Answer(400, Error(80007))
            .Answer(400, Error(131056), headers: new Dictionary<string, string> { ["Retry-After"] = "2" })
            .Answer(429, Error(130429), headers: new Dictionary<string, string> { ["Retry-After"] = "9" });

        var throughput = await SendAsync("Ann");
        var requests = await SendAsync("Ann");
        var pair = await SendAsync("Ann");
        var told = await SendAsync("Ann");

        Assert.Equal((TimeSpan.FromSeconds(1), true), (throughput.RetryAfter!.Value, throughput.SlowsProvider));
        Assert.Equal((TimeSpan.FromSeconds(60), true), (requests.RetryAfter!.Value, requests.SlowsProvider));
        // At least the ~6 s the pair limit allows, even when told less.
        Assert.Equal((TimeSpan.FromSeconds(6), false), (pair.RetryAfter!.Value, pair.SlowsProvider));
        Assert.Equal(TimeSpan.FromSeconds(9), told.RetryAfter);
    }

    [Fact]
    public async Task A_success_without_a_message_id_is_unknown()
    {
        _fake.Answer(200, """{"messaging_product":"whatsapp","messages":[]}""");

        Assert.Equal(ProviderOutcomeKind.Unknown, (await SendAsync("Ann")).Kind);
    }
}
