using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// <c>Simulator:Rules</c>: the first rule matching a phone (and its provider, if it names one) decides,
/// in each provider's own terms, as the worker's adapters read them.
/// </summary>
public sealed class SimulatorOutcomeRuleTests : IAsyncLifetime
{
    private const string Permanent = "+254711000101";
    private const string OptedOutAtTwilio = "+254711000201";
    private const string Transient = "+254711000301";
    private const string RateLimited = "+254711000401";
    private const string Timeout = "+254711000501";
    private const string Unmatched = "+254711000901";

    private SimulatorRig _rig = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The worker gives up on a call after Worker:SendTimeout; a timeout rule holds it longer.
    public async ValueTask InitializeAsync() => _rig = await SimulatorRig.StartAsync(
        new Dictionary<string, string?> { ["Worker:SendTimeout"] = "00:00:02" }, Ct,
        new SimulatorRule(@"^\+2547110001", "permanent"),
        new SimulatorRule(@"^\+2547110002", "permanent", Provider: "twilio", ErrorCode: "21610"),
        new SimulatorRule(@"^\+2547110003", "transient"),
        new SimulatorRule(@"^\+2547110004", "rate_limited", RetryAfterSeconds: 7),
        new SimulatorRule(@"^\+2547110005", "timeout"),
        new SimulatorRule(".", Receipt: "none"));

    public ValueTask DisposeAsync() => _rig.DisposeAsync();

    private Task<ProviderOutcome> TwilioAsync(string phone) =>
        _rig.Adapter<TwilioClient>().SendAsync(new TwilioMessage(Channel.Sms, phone, "Hi", "msg-1"), Ct);

    private Task<IReadOnlyList<ProviderOutcome>> AfricasTalkingAsync(params string[] phones) =>
        _rig.Adapter<AfricasTalkingClient>().SendAsync(phones, "Hi", Ct);

    private Task<ProviderOutcome> WhatsAppAsync(string phone) =>
        _rig.Adapter<WhatsAppCloudClient>().SendAsync(new WhatsAppTemplateMessage(phone, "sale", "en", [], "msg-1"), Ct);

    [Fact]
    public async Task A_permanent_rule_refuses_at_every_provider_in_its_own_terms()
    {
        var twilio = await TwilioAsync(Permanent);
        var at = await AfricasTalkingAsync(Permanent, Unmatched);
        var whatsApp = await WhatsAppAsync(Permanent);

        Assert.Equal((ProviderOutcomeKind.PermanentFailure, "21211"), (twilio.Kind, twilio.ErrorCode));
        // Per recipient: the other phone of the request is accepted.
        Assert.Equal((ProviderOutcomeKind.PermanentFailure, "403"), (at[0].Kind, at[0].ErrorCode));
        Assert.Equal(ProviderOutcomeKind.Accepted, at[1].Kind);
        Assert.Equal((ProviderOutcomeKind.PermanentFailure, "131026"), (whatsApp.Kind, whatsApp.ErrorCode));
    }

    [Fact]
    public async Task A_rule_naming_a_provider_and_a_code_applies_there_only()
    {
        var twilio = await TwilioAsync(OptedOutAtTwilio);
        var at = await AfricasTalkingAsync(OptedOutAtTwilio);

        Assert.Equal((ProviderOutcomeKind.PermanentFailure, "21610", true), (twilio.Kind, twilio.ErrorCode, twilio.SuppressPhone));
        Assert.Equal(ProviderOutcomeKind.Accepted, Assert.Single(at).Kind);
    }

    [Fact]
    public async Task A_transient_rule_answers_as_an_unwell_provider()
    {
        var twilio = await TwilioAsync(Transient);
        var at = await AfricasTalkingAsync(Transient, Unmatched);
        var whatsApp = await WhatsAppAsync(Transient);

        Assert.Equal((ProviderOutcomeKind.TransientFailure, 503, true), (twilio.Kind, twilio.HttpStatus, twilio.CircuitFailure));
        Assert.Equal((ProviderOutcomeKind.TransientFailure, "500"), (at[0].Kind, at[0].ErrorCode));
        Assert.Equal(ProviderOutcomeKind.Accepted, at[1].Kind);
        Assert.Equal((ProviderOutcomeKind.TransientFailure, 503, true), (whatsApp.Kind, whatsApp.HttpStatus, whatsApp.CircuitFailure));
    }

    [Fact]
    public async Task A_rate_limited_rule_answers_429_with_its_retry_after()
    {
        var twilio = await TwilioAsync(RateLimited);
        // No per-recipient form: the whole request is limited.
        var at = await AfricasTalkingAsync(RateLimited, Unmatched);
        var whatsApp = await WhatsAppAsync(RateLimited);

        Assert.Equal((ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(7)), (twilio.Kind, twilio.RetryAfter));
        Assert.All(at, outcome => Assert.Equal((ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(7)), (outcome.Kind, outcome.RetryAfter)));
        Assert.Equal((ProviderOutcomeKind.RateLimited, TimeSpan.FromSeconds(7)), (whatsApp.Kind, whatsApp.RetryAfter));
    }

    [Fact]
    public async Task A_timeout_rule_holds_the_request_past_the_callers_patience()
    {
        var twilio = await TwilioAsync(Timeout);
        var whatsApp = await WhatsAppAsync(Timeout);

        Assert.Equal((ProviderOutcomeKind.Unknown, "timeout"), (twilio.Kind, twilio.ErrorCode));
        Assert.Equal((ProviderOutcomeKind.Unknown, "timeout"), (whatsApp.Kind, whatsApp.ErrorCode));
    }
}
