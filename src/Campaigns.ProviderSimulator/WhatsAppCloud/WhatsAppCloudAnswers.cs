using System.Text.Json.Serialization;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.WhatsAppCloud;

/// <summary>The Graph API's answers: the sent message's id, or <c>{"error":{message, type, code, …, fbtrace_id}}</c>.</summary>
public static class WhatsAppCloudAnswers
{
    /// <summary>Undeliverable: Meta's usual refusal of a recipient.</summary>
    public const int Undeliverable = 131026;

    public static IResult Error(int status, int code, string message, string type = "OAuthException", int? subcode = null, string? details = null) =>
        TypedResults.Json(new ErrorAnswer(new GraphError(message, type, code, subcode,
            details is null ? null : new ErrorData("whatsapp", details), ProviderIds.FacebookTraceId())), statusCode: status);

    public static IResult Unauthorized() =>
        Error(StatusCodes.Status401Unauthorized, 190, "Invalid OAuth access token - Cannot parse access token");

    public static IResult Unavailable(int? code = null) =>
        Error(StatusCodes.Status503ServiceUnavailable, code ?? 2, "Service temporarily unavailable");

    public static IResult TooManyRequests(TimeSpan retryAfter, int? code = null) =>
        Error(StatusCodes.Status429TooManyRequests, code ?? 130429, $"(#{code ?? 130429}) Rate limit hit",
            details: "Cloud API message throughput has been reached.").WithRetryAfter(retryAfter);

    public static IResult Refused(int? code) => code switch
    {
        null or Undeliverable => Error(StatusCodes.Status400BadRequest, Undeliverable, "(#131026) Message undeliverable",
            details: "Message Undeliverable."),
        { } other => Error(StatusCodes.Status400BadRequest, other, $"(#{other}) Simulated refusal"),
    };

    public static IResult UnknownPhoneNumberId(string id) => Error(StatusCodes.Status400BadRequest, 100,
        $"Unsupported post request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        type: "GraphMethodException", subcode: 33);

    public static IResult InvalidParameter(string message) => Error(StatusCodes.Status400BadRequest, 100, $"(#100) {message}");

    public static IResult Sent(string to, string wamid) => TypedResults.Json(new SentAnswer(
        "whatsapp", [new Contact(to, to)], [new SentMessage(wamid, "accepted")]));

    private sealed record ErrorAnswer(GraphError Error);

    private sealed record GraphError(
        string Message,
        string Type,
        int Code,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ErrorSubcode,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ErrorData? ErrorData,
        string FbtraceId);

    private sealed record ErrorData(string MessagingProduct, string Details);

    private sealed record SentAnswer(string MessagingProduct, IReadOnlyList<Contact> Contacts, IReadOnlyList<SentMessage> Messages);

    private sealed record Contact(string Input, string WaId);

    private sealed record SentMessage(string Id, string MessageStatus);
}
