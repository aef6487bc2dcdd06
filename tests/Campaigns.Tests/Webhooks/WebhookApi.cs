using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Campaigns.Api;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Campaigns.Tests.Webhooks;

/// <summary>
/// The real API in process with every provider's webhook secrets configured (the shared graph has none),
/// on the shared database: what a webhook stored is read back from <c>provider_receipts</c> and
/// <c>inbound_messages</c> by its unique provider id. Signs requests the way each provider does, with the
/// test's own code, not the API's.
/// </summary>
public sealed class WebhookApi(AppFixture fixture) : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://hooks.example.test/";
    public const string TwilioAuthToken = "twilio-test-auth-token";
    public const string AfricasTalkingToken = "at-webhook-token-7f3c";
    public const string WhatsAppAppSecret = "meta-app-secret-19ab";
    public const string WhatsAppVerifyToken = "meta-verify-token-55d0";

    private WebApplicationFactory<ApiAssembly>? _factory;

    public WebApplicationFactory<ApiAssembly> Factory => _factory ?? throw new InvalidOperationException("Not started");

    /// <summary>No API key: providers have none. Every exchange is checked against the OpenAPI document.</summary>
    public HttpClient Client { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = await StartAsync(fixture, _ => { });
        Client = _factory.CreateValidatedClient();
    }

    /// <summary>An API with the webhook secrets and whatever else <paramref name="configure"/> sets.</summary>
    public static async Task<WebApplicationFactory<ApiAssembly>> StartAsync(AppFixture fixture, Action<IWebHostBuilder> configure)
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        return InProcessApi.Create(postgres, redis, web =>
        {
            web.UseSetting("Webhooks:PublicBaseUrl", PublicBaseUrl)
                .UseSetting("Providers:Twilio:AuthToken", TwilioAuthToken)
                .UseSetting("Providers:AfricasTalking:WebhookToken", AfricasTalkingToken)
                .UseSetting("Providers:WhatsAppCloud:AppSecret", WhatsAppAppSecret)
                .UseSetting("Providers:WhatsAppCloud:VerifyToken", WhatsAppVerifyToken);
            configure(web);
        });
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    /// <summary>A Twilio-style id: two letters and 32 hex digits.</summary>
    public static string TwilioSid(string prefix = "SM") => prefix + Guid.NewGuid().ToString("N");

    /// <summary>A form POST signed as Twilio signs it: over the public URL of <paramref name="pathAndQuery"/> and the fields.</summary>
    public static HttpRequestMessage TwilioRequest(string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> fields,
        string? signature = null, bool signed = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(fields) };
        if (signed)
        {
            request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature(PublicBaseUrl.TrimEnd('/') + pathAndQuery, fields));
        }
        return request;
    }

    /// <summary>Twilio's algorithm, written out: base64(HMAC-SHA1(token, url + each name and value, sorted by name)).</summary>
    public static string TwilioSignature(string url, IEnumerable<KeyValuePair<string, string>> fields, string authToken = TwilioAuthToken)
    {
        var data = url + string.Concat(fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data)));
    }

    /// <summary>A form POST to the URL registered with Africa's Talking: its token in the query (none when null).</summary>
    public static HttpRequestMessage AfricasTalkingRequest(string path, IReadOnlyList<KeyValuePair<string, string>> fields,
        string? token = AfricasTalkingToken) =>
        new(HttpMethod.Post, token is null ? path : $"{path}?token={Uri.EscapeDataString(token)}") { Content = new FormUrlEncodedContent(fields) };

    /// <summary>A notification signed as Meta signs it (unless <paramref name="signature"/> says otherwise).</summary>
    public static HttpRequestMessage WhatsAppRequest(string json, string? signature = null, bool signed = true)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signed)
        {
            request.Headers.Add("X-Hub-Signature-256", signature ?? MetaSignature(body));
        }
        return request;
    }

    public static string MetaSignature(byte[] body, string appSecret = WhatsAppAppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>Sends and reads the answer as JSON (a problem, or nothing for 204 and WhatsApp's 200).</summary>
    public async Task<ApiResponse> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Client.SendRawAsync(request, Ct);
        }
    }

    public sealed record StoredReceipt(string Kind, string ProviderStatus, string? ErrorCode, DateTime OccurredAt, DateTime ReceivedAt, bool SuppressPhone);

    public async Task<IReadOnlyList<StoredReceipt>> ReceiptsAsync(string provider, string providerMessageId)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<StoredReceipt>(new CommandDefinition("""
            SELECT kind AS Kind, provider_status AS ProviderStatus, error_code AS ErrorCode, occurred_at AS OccurredAt,
                   received_at AS ReceivedAt, suppress_phone AS SuppressPhone
            FROM provider_receipts
            WHERE provider = @provider AND provider_message_id = @providerMessageId ORDER BY id
            """, new { provider, providerMessageId }, cancellationToken: Ct))).AsList();
    }

    public sealed record StoredInbound(string Channel, string FromPhone, string? ToPhone, string Body);

    public async Task<IReadOnlyList<StoredInbound>> InboundAsync(string provider, string providerMessageId)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<StoredInbound>(new CommandDefinition("""
            SELECT channel AS Channel, from_phone AS FromPhone, to_phone AS ToPhone, body AS Body FROM inbound_messages
            WHERE provider = @provider AND provider_message_id = @providerMessageId
            """, new { provider, providerMessageId }, cancellationToken: Ct))).AsList();
    }

    /// <summary>The phone's suppressions as <c>channel:source</c> (<c>*</c>: every channel), comma-separated, and its queued confirmations.</summary>
    public async Task<(string Suppressions, int Replies)> ConsentOfAsync(string phone)
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        var suppressions = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT coalesce(channel, '*') || ':' || source FROM suppressions WHERE phone = @phone ORDER BY 1", new { phone }, cancellationToken: Ct));
        var replies = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*)::int FROM consent_replies WHERE phone = @phone", new { phone }, cancellationToken: Ct));
        return (string.Join(", ", suppressions), replies);
    }
}
