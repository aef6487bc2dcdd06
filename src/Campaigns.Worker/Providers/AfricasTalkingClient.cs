using Campaigns.Core.Domain;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Providers;

/// <summary>
/// Sends one text to many phones in one request of Africa's Talking's bulk SMS API
/// (<c>POST /version1/messaging</c>, form-encoded, <c>apiKey</c> header) and maps each recipient's
/// entry back to the phone asked for. AT has no idempotency key: an unknown outcome of the request is
/// unknown for every phone in it.
/// </summary>
public sealed class AfricasTalkingClient(
    HttpClient http,
    IOptions<AfricasTalkingOptions> options,
    TimeProvider time,
    ILogger<AfricasTalkingClient> logger)
{
    public const string Name = ProviderName.AfricasTalking;

    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>One outcome per phone, in the order of <paramref name="phones"/> (distinct, E.164).</summary>
    public Task<IReadOnlyList<ProviderOutcome>> SendAsync(IReadOnlyList<string> phones, string message, CancellationToken cancellationToken)
    {
        var at = options.Value;
        var keys = phones.Select(PhoneKey).ToList();
        if (phones.Count == 0 || phones.Count > at.MaxRecipientsPerRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(phones), phones.Count, $"Between 1 and {at.MaxRecipientsPerRequest} phones per request");
        }
        // Entries are matched back by number: a phone twice would make two messages indistinguishable.
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count)
        {
            throw new ArgumentException("A phone appears twice in one request", nameof(phones));
        }

        var form = new List<KeyValuePair<string, string>>
        {
            new("username", at.Username),
            new("to", string.Join(',', phones)),
            new("message", message),
        };
        if (!string.IsNullOrWhiteSpace(at.From))
        {
            form.Add(new("from", at.From));
        }
        // Sender pays; the bulk API requires it.
        form.Add(new("bulkSMSMode", "1"));

        var request = new HttpRequestMessage(HttpMethod.Post, "version1/messaging") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("apiKey", at.ApiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return ProviderCall.SendAsync<IReadOnlyList<ProviderOutcome>>(http, request,
            (response, ct) => InterpretAsync(response, keys, ct),
            outcome => [.. keys.Select(_ => outcome)],
            Name, logger, cancellationToken);
    }

    private async Task<IReadOnlyList<ProviderOutcome>> InterpretAsync(HttpResponseMessage response, List<string> keys, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            // Request-level failures (credentials, malformed request) have no documented shape.
            var error = await ProviderJson.SnippetAsync(response.Content, cancellationToken);
            var code = status.ToString(CultureInfo.InvariantCulture);
            var whole = status == 429
                ? ProviderOutcome.RateLimited(RetryAfterHeader.Read(response, time) ?? DefaultRetryAfter, code, error)
                : ProviderOutcome.Transient(code, error, circuitFailure: true);
            whole = ProviderCall.Logged(whole with { HttpStatus = status }, Name, logger);
            return [.. keys.Select(_ => whole)];
        }

        var answer = await ProviderJson.TryReadAsync<SendAnswer>(response.Content, cancellationToken);
        var recipients = new Dictionary<string, Recipient>(StringComparer.Ordinal);
        foreach (var recipient in answer?.SMSMessageData?.Recipients ?? [])
        {
            if (recipient.Number is { } number)
            {
                recipients.TryAdd(PhoneKey(number), recipient);
            }
        }
        return [.. keys.Select(key => ProviderCall.Logged((recipients.TryGetValue(key, out var recipient)
            ? AfricasTalkingStatuses.Classify(recipient.StatusCode, recipient.Status, recipient.MessageId)
            // Processed, but this phone is not in the answer: we cannot tell what became of it.
            : ProviderOutcome.Unknown("missing_recipient", answer?.SMSMessageData?.Message ?? "No entry for this phone")) with { HttpStatus = status },
            Name, logger))];
    }

    /// <summary>The digits of a phone: AT may echo a number in another form than it was sent.</summary>
    private static string PhoneKey(string phone) => string.Concat(phone.Where(char.IsAsciiDigit));

    private sealed record SendAnswer(MessageData? SMSMessageData);

    private sealed record MessageData(string? Message, List<Recipient>? Recipients);

    private sealed record Recipient(int StatusCode, string? Number, string? Status, string? MessageId, string? Cost);
}
