using System.Text;
using Campaigns.Core.Domain;
using Campaigns.Worker.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Providers;

/// <summary>The Twilio adapter against a local fake: the request as Twilio documents it, and every answer class.</summary>
public sealed class TwilioClientTests : IAsyncLifetime
{
    private const string Created = """
        {"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","error_code":null,"error_message":null,"num_segments":"1"}
        """;

    private ProviderFake _fake = null!;
    private IHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await ProviderFake.StartAsync(TestContext.Current.CancellationToken);
        _host = Host(new() { ["Providers:Twilio:From"] = "+15005550006" });
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
    }

    private IHost Host(Dictionary<string, string?> extra)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Providers:Twilio:AccountSid"] = "AC123",
            ["Providers:Twilio:AuthToken"] = "secret-token",
            ["Providers:Twilio:BaseUrl"] = _fake.BaseUrl.AbsoluteUri,
            ["Webhooks:PublicBaseUrl"] = "https://campaigns.example.com/",
        };
        foreach (var (key, value) in extra)
        {
            configuration[key] = value;
        }
        return ProviderHost.Build(configuration, services => services.AddTwilioClient());
    }

    private Task<ProviderOutcome> SendAsync(IHost? host = null, string channel = Channel.Sms) =>
        (host ?? _host).Services.GetRequiredService<TwilioClient>().SendAsync(
            new TwilioMessage(channel, "+254711000001", "Hello Ann & co: 50% off", "msg-42"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_send_posts_the_documented_form_with_basic_auth_and_a_per_message_status_callback()
    {
        _fake.Answer(201, Created);

        var outcome = await SendAsync();

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/2010-04-01/Accounts/AC123/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC123:secret-token")), request.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        KeyValuePair<string, string>[] expected =
        [
            new("To", "+254711000001"),
            new("From", "+15005550006"),
            new("Body", "Hello Ann & co: 50% off"),
            new("StatusCallback", "https://campaigns.example.com/webhooks/twilio/status?key=msg-42"),
        ];
        Assert.Equal(expected, request.Form);
        Assert.Equal(ProviderOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal("SM0123456789abcdef0123456789abcdef", outcome.ProviderMessageId);
    }

    [Theory]
    [InlineData(7_200.9, "7200")] // the whole seconds left, never more than the validity
    [InlineData(0.4, "1")] // Twilio's least
    [InlineData(20 * 3_600.0, "36000")] // Twilio's most: a longer validity is sent as that
    public async Task A_message_with_a_validity_sends_the_seconds_left_as_ValidityPeriod(double secondsLeft, string expected)
    {
        _fake.Answer(201, Created);

        await _host.Services.GetRequiredService<TwilioClient>().SendAsync(
            new TwilioMessage(Channel.Sms, "+254711000001", "Hi", "msg-43", TimeSpan.FromSeconds(secondsLeft)), TestContext.Current.CancellationToken);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal(expected, Assert.Single(request.Form, p => p.Key == "ValidityPeriod").Value);
    }

    [Fact]
    public async Task A_message_without_a_validity_sends_no_ValidityPeriod()
    {
        _fake.Answer(201, Created);

        await SendAsync();

        Assert.DoesNotContain(Assert.Single(_fake.Requests).Form, p => p.Key == "ValidityPeriod");
    }

    [Fact]
    public async Task A_messaging_service_replaces_From()
    {
        using var host = Host(new() { ["Providers:Twilio:MessagingServiceSid"] = "MG999" });
        _fake.Answer(201, Created);

        await SendAsync(host);

        var form = Assert.Single(_fake.Requests).Form;
        Assert.Equal("MG999", Assert.Single(form, f => f.Key == "MessagingServiceSid").Value);
        Assert.DoesNotContain(form, f => f.Key == "From");
    }

    [Fact]
    public async Task WhatsApp_addresses_carry_the_whatsapp_prefix()
    {
        using var host = Host(new() { ["Providers:Twilio:WhatsAppFrom"] = "+14155238886" });
        _fake.Answer(201, Created);

        await SendAsync(host, Channel.WhatsApp);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("whatsapp:+254711000001", request.Field("To"));
        Assert.Equal("whatsapp:+14155238886", request.Field("From"));
    }

    [Theory]
    [InlineData(400, 21211, ProviderOutcomeKind.PermanentFailure, false, false)]
    [InlineData(400, 21614, ProviderOutcomeKind.PermanentFailure, false, false)]
    [InlineData(400, 21635, ProviderOutcomeKind.PermanentFailure, false, false)]
    [InlineData(400, 21610, ProviderOutcomeKind.PermanentFailure, true, false)]
    [InlineData(429, 20429, ProviderOutcomeKind.RateLimited, false, false)]
    [InlineData(400, 21611, ProviderOutcomeKind.RateLimited, false, false)]
    [InlineData(400, 21408, ProviderOutcomeKind.TransientFailure, false, false)]
    [InlineData(400, 21612, ProviderOutcomeKind.TransientFailure, false, false)]
    [InlineData(400, 21608, ProviderOutcomeKind.TransientFailure, false, false)]
    [InlineData(400, 21606, ProviderOutcomeKind.TransientFailure, false, true)]
    [InlineData(401, 20003, ProviderOutcomeKind.TransientFailure, false, true)]
    [InlineData(500, 20500, ProviderOutcomeKind.TransientFailure, false, true)]
    [InlineData(503, 20503, ProviderOutcomeKind.TransientFailure, false, true)]
    public async Task An_error_answer_maps_to_its_class(int status, int code, ProviderOutcomeKind kind, bool suppress, bool circuit)
    {
        _fake.Answer(status, $$"""
            {"code":{{code}},"message":"Twilio says no","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}
            """);

        var outcome = await SendAsync();

        Assert.Equal(kind, outcome.Kind);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.ErrorCode);
        Assert.Equal("Twilio says no", outcome.Error);
        Assert.Equal(suppress, outcome.SuppressPhone);
        Assert.Equal(circuit, outcome.CircuitFailure);
        Assert.Equal(status, outcome.HttpStatus);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says_else_a_second()
    {
        _fake.Answer(429, """{"code":20429,"message":"Too Many Requests","status":429}""", headers: new Dictionary<string, string> { ["Retry-After"] = "7" })
            .Answer(429, """{"code":20429,"message":"Too Many Requests","status":429}""");

        var told = await SendAsync();
        var untold = await SendAsync();

        Assert.Equal(TimeSpan.FromSeconds(7), told.RetryAfter);
        Assert.True(told.SlowsProvider);
        Assert.Equal(TimeSpan.FromSeconds(1), untold.RetryAfter);
    }

    [Fact]
    public async Task A_non_JSON_5xx_is_transient_and_asked_once()
    {
        _fake.Answer(503, "<html>Service Unavailable</html>", "text/html");

        var outcome = await SendAsync();

        Assert.Equal(ProviderOutcomeKind.TransientFailure, outcome.Kind);
        Assert.Equal("503", outcome.ErrorCode);
        Assert.True(outcome.CircuitFailure);
        Assert.Single(_fake.Requests);
    }
}
