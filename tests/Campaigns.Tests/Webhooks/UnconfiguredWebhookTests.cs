using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Webhooks;

/// <summary>The shared graph configures no provider: each webhook is 404 NOT_FOUND, before any key or proof is asked for.</summary>
public sealed class UnconfiguredWebhookTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("POST", "/webhooks/twilio/status")]
    [InlineData("POST", "/webhooks/twilio/inbound")]
    [InlineData("POST", "/webhooks/africastalking/delivery?token=anything")]
    [InlineData("POST", "/webhooks/africastalking/inbound?token=anything")]
    [InlineData("GET", "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=anything&hub.challenge=1")]
    [InlineData("POST", "/webhooks/whatsapp")]
    public async Task A_webhook_of_a_provider_without_credentials_is_404(string method, string path)
    {
        using var anonymous = fixture.Graph.CreateClient(authenticated: false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("MessageSid", "SM" + Guid.NewGuid().ToString("N")), new("MessageStatus", "sent")]);
            request.Headers.Add("X-Twilio-Signature", "c2lnbmF0dXJl");
            request.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));
        }

        var response = await anonymous.SendRawAsync(request, Ct);

        response.Expect(HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
