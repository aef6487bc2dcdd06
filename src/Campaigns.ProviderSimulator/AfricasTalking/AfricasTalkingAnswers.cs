using System.Globalization;
using System.Text.Json.Serialization;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.AfricasTalking;

/// <summary>
/// Africa's Talking's answers: 201 with one <c>Recipients</c> entry per phone, each with its own
/// <c>statusCode</c>; request-level refusals as plain text.
/// </summary>
public static class AfricasTalkingAnswers
{
    public const int Sent = 101;
    public const int InvalidPhoneNumber = 403;
    public const int InternalServerError = 500;

    private const decimal CostPerMessage = 0.8m;

    private static readonly Dictionary<int, string> StatusNames = new()
    {
        [100] = "Processed",
        [101] = "Success",
        [102] = "Queued",
        [401] = "RiskHold",
        [402] = "InvalidSenderId",
        [403] = "InvalidPhoneNumber",
        [404] = "UnsupportedNumberType",
        [405] = "InsufficientBalance",
        [406] = "UserInBlacklist",
        [407] = "CouldNotRoute",
        [409] = "DoNotDisturbRejection",
        [500] = "InternalServerError",
        [501] = "GatewayError",
        [502] = "RejectedByGateway",
    };

    public static IResult Unauthorized() => Text(StatusCodes.Status401Unauthorized, "The supplied authentication is invalid");

    public static IResult Unavailable() => Text(StatusCodes.Status503ServiceUnavailable, "Service Unavailable");

    public static IResult TooManyRequests(TimeSpan retryAfter) => Text(StatusCodes.Status429TooManyRequests, "Too Many Requests").WithRetryAfter(retryAfter);

    public static IResult MissingField(string name) => Text(StatusCodes.Status400BadRequest, $"Request is missing required form field '{name}'");

    /// <summary>One entry for a phone: accepted with <paramref name="messageId"/>, or refused with <paramref name="statusCode"/>.</summary>
    public static Recipient Entry(string number, int statusCode, string? messageId) => new(
        statusCode,
        number,
        StatusNames.GetValueOrDefault(statusCode, "Failed"),
        messageId is null ? "0" : Cost(1),
        messageId ?? "None");

    public static IResult Created(IReadOnlyList<Recipient> recipients)
    {
        var sent = recipients.Count(r => r.MessageId != "None");
        return TypedResults.Json(
            new SendAnswer(new MessageData($"Sent to {sent}/{recipients.Count} Total Cost: {Cost(sent)}", recipients)),
            statusCode: StatusCodes.Status201Created);
    }

    private static string Cost(int messages) => "KES " + (messages * CostPerMessage).ToString("0.0000", CultureInfo.InvariantCulture);

    private static IResult Text(int status, string text) => TypedResults.Text(text, "text/plain", statusCode: status);

    public sealed record Recipient(
        [property: JsonPropertyName("statusCode")] int StatusCode,
        [property: JsonPropertyName("number")] string Number,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("cost")] string Cost,
        [property: JsonPropertyName("messageId")] string MessageId);

    private sealed record SendAnswer([property: JsonPropertyName("SMSMessageData")] MessageData SMSMessageData);

    private sealed record MessageData(
        [property: JsonPropertyName("Message")] string Message,
        [property: JsonPropertyName("Recipients")] IReadOnlyList<Recipient> Recipients);
}
