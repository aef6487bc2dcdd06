using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Campaigns.Benchmarks.Data;

namespace Campaigns.Benchmarks.Api;

/// <summary>
/// Twilio's status callbacks, as Twilio posts them: a form per message to the StatusCallback URL the
/// worker gives (<c>{PublicBaseUrl}/webhooks/twilio/status?key=msg-{id}</c>), signed with
/// <c>X-Twilio-Signature</c>, posted by many concurrent clients over a client of their own (no API key).
/// </summary>
public sealed class TwilioStatusCallbacks(HttpClient http) : IDisposable
{
    public const string Path = "/webhooks/twilio/status";

    private const string SignatureHeader = "X-Twilio-Signature";
    private const string From = "+15005550006";
    private static readonly MediaTypeHeaderValue FormMediaType = new("application/x-www-form-urlencoded");

    /// <summary>One callback, encoded and signed beforehand so the timing holds only the requests.</summary>
    public sealed record Callback(string PathAndQuery, byte[] Body, string Signature);

    public static TwilioStatusCallbacks Create(Uri apiAddress, int clients) =>
        new(new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = apiAddress,
            Timeout = TimeSpan.FromMinutes(2),
        });

    /// <summary>A callback per message saying <paramref name="status"/>, signed over <paramref name="publicBaseUrl"/>.</summary>
    public static Callback[] Prepare(IEnumerable<SentMessages.Message> messages, string status, Uri publicBaseUrl, string accountSid,
        string authToken) =>
        messages.Select(message =>
        {
            var pathAndQuery = $"{Path}?key=msg-{message.Id}";
            KeyValuePair<string, string>[] fields =
            [
                new("AccountSid", accountSid),
                new("ApiVersion", "2010-04-01"),
                new("From", From),
                new("MessageSid", message.ProviderMessageId),
                new("MessageStatus", status),
                new("SmsSid", message.ProviderMessageId),
                new("SmsStatus", status),
                new("To", message.Phone),
            ];
            var body = string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
            return new Callback(pathAndQuery, Encoding.UTF8.GetBytes(body),
                Sign(authToken, publicBaseUrl.AbsoluteUri.TrimEnd('/') + pathAndQuery, fields));
        }).ToArray();

    /// <summary>Posts every callback, <paramref name="clients"/> at a time; each must be answered 204.</summary>
    /// <returns>When each callback's 204 arrived (UTC), by index.</returns>
    public async Task<DateTime[]> PostAsync(IReadOnlyList<Callback> callbacks, int clients, CancellationToken cancellationToken)
    {
        var answeredAt = new DateTime[callbacks.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < callbacks.Count)
            {
                var callback = callbacks[index];
                using var request = new HttpRequestMessage(HttpMethod.Post, callback.PathAndQuery)
                {
                    Content = new ByteArrayContent(callback.Body) { Headers = { ContentType = FormMediaType } },
                };
                request.Headers.Add(SignatureHeader, callback.Signature);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode != HttpStatusCode.NoContent)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    throw new InvalidOperationException($"POST {callback.PathAndQuery} answered {(int)response.StatusCode}, expected 204: {body}");
                }
                answeredAt[index] = DateTime.UtcNow;
            }
        }));
        return answeredAt;
    }

    public void Dispose() => http.Dispose();

    /// <summary>Twilio's algorithm: base64(HMAC-SHA1(auth token, URL + each parameter's name and value, sorted by name)).</summary>
    private static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = url + string.Concat(fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data)));
    }
}
