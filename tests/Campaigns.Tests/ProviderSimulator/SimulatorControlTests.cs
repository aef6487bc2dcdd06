using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>The control endpoints drills use: a provider's mode, the calls it received, and a reset.</summary>
public sealed class SimulatorControlTests : IAsyncLifetime
{
    private const string Phone = "+254713000001";

    private SimulatorRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _rig = await SimulatorRig.StartAsync(null, Ct, new SimulatorRule(".", Receipt: "none"));

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    private Task<ProviderOutcome> TwilioAsync() =>
        _rig.Adapter<TwilioClient>().SendAsync(new TwilioMessage(Channel.Sms, Phone, "Hi", "msg-1"), Ct);

    private async Task<HttpResponseMessage> SetModeAsync(string provider, object body) =>
        await _rig.Simulator.Client.PutAsJsonAsync($"control/providers/{provider}", body, Ct);

    [Fact]
    public async Task Unavailable_answers_every_send_503_until_the_provider_is_up_again()
    {
        using (var set = await SetModeAsync("twilio", new { mode = "unavailable" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
        using (var set = await SetModeAsync("africastalking", new { mode = "unavailable" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var down = await TwilioAsync();
        var atDown = await _rig.Adapter<AfricasTalkingClient>().SendAsync([Phone], "Hi", Ct);
        using (var up = await SetModeAsync("twilio", new { mode = "up" }))
        {
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        }
        var back = await TwilioAsync();

        Assert.Equal((ProviderOutcomeKind.TransientFailure, 503, true), (down.Kind, down.HttpStatus, down.CircuitFailure));
        Assert.Equal((ProviderOutcomeKind.TransientFailure, 503), (atDown[0].Kind, atDown[0].HttpStatus));
        Assert.Equal(ProviderOutcomeKind.Accepted, back.Kind);
        var calls = await _rig.Simulator.Client.GetFromJsonAsync<Dictionary<string, long>>("control/calls", Ct);
        Assert.Equal(new Dictionary<string, long> { ["twilio"] = 2, ["africastalking"] = 1, ["whatsapp-cloud"] = 0 }, calls);
    }

    [Fact]
    public async Task Rate_limited_answers_429_with_the_retry_after_asked_for_and_reset_brings_every_provider_back()
    {
        using (var set = await SetModeAsync("whatsapp-cloud", new { mode = "rate_limited", retry_after_seconds = 9 }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal("rate_limited", (string?)(await set.Content.ReadFromJsonAsync<JsonObject>(Ct))!["mode"]);
        }
        var cloud = _rig.Adapter<WhatsAppCloudClient>();

        var limited = await cloud.SendAsync(new WhatsAppTemplateMessage(Phone, "sale", "en", [], "msg-1"), Ct);
        using (var reset = await _rig.Simulator.Client.PostAsync("control/reset", content: null, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }
        var afterReset = await cloud.SendAsync(new WhatsAppTemplateMessage(Phone, "sale", "en", [], "msg-2"), Ct);

        Assert.Equal((ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(9)), (limited.Kind, limited.RetryAfter));
        Assert.Equal(ProviderOutcomeKind.Accepted, afterReset.Kind);
        var modes = await _rig.Simulator.Client.GetFromJsonAsync<JsonObject>("control/providers", Ct);
        Assert.All(["twilio", "africastalking", "whatsapp-cloud"], provider => Assert.Equal("up", (string?)modes![provider]!["mode"]));
        var calls = await _rig.Simulator.Client.GetFromJsonAsync<Dictionary<string, long>>("control/calls", Ct);
        Assert.Equal(1, calls!["whatsapp-cloud"]);
    }

    [Fact]
    public async Task An_unknown_provider_is_404_and_an_unknown_mode_400()
    {
        using var unknownProvider = await SetModeAsync("sinch", new { mode = "unavailable" });
        using var unknownMode = await SetModeAsync("twilio", new { mode = "down" });

        Assert.Equal(HttpStatusCode.NotFound, unknownProvider.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownMode.StatusCode);
    }
}
