using System.Globalization;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.Twilio;

/// <summary>Twilio's answers: the Message resource (201) and its error document (<c>{code, message, more_info, status}</c>).</summary>
public static class TwilioAnswers
{
    public const string ApiVersion = "2010-04-01";

    public static IResult Error(int status, int code, string message) =>
        TypedResults.Json(new ErrorResource(code, message, $"https://www.twilio.com/docs/errors/{code}", status), statusCode: status);

    public static IResult Unauthorized() =>
        Error(StatusCodes.Status401Unauthorized, 20003, "Authenticate").WithHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");

    public static IResult Unavailable(int? code = null) => Error(StatusCodes.Status503ServiceUnavailable, code ?? 20503, "Service Unavailable");

    public static IResult TooManyRequests(TimeSpan retryAfter, int? code = null) =>
        Error(StatusCodes.Status429TooManyRequests, code ?? 20429, "Too Many Requests").WithRetryAfter(retryAfter);

    public static IResult Refused(int? code, string to) => code switch
    {
        null or 21211 => Error(StatusCodes.Status400BadRequest, 21211, $"The 'To' number {to} is not a valid phone number."),
        21610 => Error(StatusCodes.Status400BadRequest, 21610, "Attempt to send to unsubscribed recipient"),
        21614 => Error(StatusCodes.Status400BadRequest, 21614, $"'To' number {to} is not a valid mobile number"),
        { } other => Error(StatusCodes.Status400BadRequest, other, "Simulated refusal"),
    };

    public static IResult Created(string accountSid, string sid, string to, string? from, string? messagingServiceSid, string body, DateTimeOffset now)
    {
        var date = now.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var uri = $"/{ApiVersion}/Accounts/{accountSid}/Messages/{sid}";
        return TypedResults.Json(new MessageResource(
            AccountSid: accountSid,
            ApiVersion: ApiVersion,
            Body: body,
            DateCreated: date,
            DateSent: null,
            DateUpdated: date,
            Direction: "outbound-api",
            ErrorCode: null,
            ErrorMessage: null,
            From: from,
            MessagingServiceSid: messagingServiceSid,
            NumMedia: "0",
            NumSegments: Segments(body).ToString(CultureInfo.InvariantCulture),
            Price: null,
            PriceUnit: "USD",
            Sid: sid,
            // A Messaging Service picks the sender first.
            Status: messagingServiceSid is null ? "queued" : "accepted",
            SubresourceUris: new Dictionary<string, string> { ["media"] = $"{uri}/Media.json" },
            To: to,
            Uri: $"{uri}.json"), statusCode: StatusCodes.Status201Created);
    }

    // GSM-7 (roughly: ASCII) 160 characters or 153 a part, else UCS-2 70 or 67.
    private static int Segments(string body) => body.All(char.IsAscii)
        ? (body.Length <= 160 ? 1 : (body.Length + 152) / 153)
        : (body.Length <= 70 ? 1 : (body.Length + 66) / 67);

    private sealed record ErrorResource(int Code, string Message, string MoreInfo, int Status);

    private sealed record MessageResource(
        string AccountSid,
        string ApiVersion,
        string Body,
        string DateCreated,
        string? DateSent,
        string DateUpdated,
        string Direction,
        int? ErrorCode,
        string? ErrorMessage,
        string? From,
        string? MessagingServiceSid,
        string NumMedia,
        string NumSegments,
        string? Price,
        string PriceUnit,
        string Sid,
        string Status,
        Dictionary<string, string> SubresourceUris,
        string To,
        string Uri);
}
