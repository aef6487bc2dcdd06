using System.Net;
using Campaigns.Api.Webhooks;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Campaigns.Tests.Webhooks;

/// <summary>Tokens in webhook URLs never reach an exported span or log, whatever the instrumentation's own redaction and the log levels say.</summary>
public sealed class WebhookRedactionTests(AppFixture fixture)
{
    private const string Service = "webhooks";
    private const string WrongToken = "wrong-token-d41d8cd9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Query_tokens_are_redacted_from_exported_spans_and_logs()
    {
        await using var sink = await OtlpSink.StartAsync(Ct, keepLogs: true);
        await using var factory = await WebhookApi.StartAsync(fixture, web => web
            .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", sink.EndpointFor(Service))
            .UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .UseSetting("OTEL_BSP_SCHEDULE_DELAY", "200")
            .UseSetting("OTEL_BLRP_SCHEDULE_DELAY", "200")
            // Neither the instrumentation's own redaction nor quiet request logging is relied on.
            .UseSetting("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION", "true")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information"));
        using var client = factory.CreateValidatedClient();
        List<KeyValuePair<string, string>> report = [new("id", "ATXid_" + Guid.NewGuid().ToString("N")), new("status", "Success")];

        using var delivered = await client.SendAsync(WebhookApi.AfricasTalkingRequest("/webhooks/africastalking/delivery", report), Ct);
        using var refused = await client.SendAsync(WebhookApi.AfricasTalkingRequest("/webhooks/africastalking/delivery", report, WrongToken), Ct);
        using var verified = await client.GetAsync(
            $"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={WebhookApi.WhatsAppVerifyToken}&hub.challenge=42", Ct);

        Assert.Equal(HttpStatusCode.NoContent, delivered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        // The server spans with their (redacted) queries, the webhook spans, and the refusal's warning.
        string[] expected = ["?token=Redacted", "hub.verify_token=Redacted", "webhook africastalking delivery", "webhook.receipt_count", "refused"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!expected.All(text => sink.Exported(Service, text)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }
        Assert.All(expected, text => Assert.True(sink.Exported(Service, text), $"nothing exported carries {text}"));
        Assert.All([WebhookApi.AfricasTalkingToken, WrongToken, WebhookApi.WhatsAppVerifyToken],
            token => Assert.False(sink.Exported(Service, token), $"an exported span or log carries {token}"));
    }

    [Theory]
    [InlineData("?token=abc", "?token=Redacted")]
    [InlineData("?key=msg-1&token=abc&x=", "?key=msg-1&token=Redacted&x=")]
    [InlineData("?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=9", "?hub.mode=subscribe&hub.verify_token=Redacted&hub.challenge=9")]
    [InlineData("?hub%2Everify_token=s3cret&TOKEN=a&token", "?hub%2Everify_token=Redacted&TOKEN=Redacted&token=Redacted")]
    [InlineData("?tokens=kept", "?tokens=kept")]
    public void Redaction_replaces_the_secret_values_only(string query, string redacted)
    {
        Assert.Equal(redacted, WebhookQueryRedaction.Redact(query));
    }
}
