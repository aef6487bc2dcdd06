namespace Campaigns.Api.Errors;

/// <summary>The <c>error.code</c> values of the contract (api.md), with their status and title.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "INVALID_JSON";
    public const string ValidationError = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    /// <summary>A webhook's proof of origin is missing or wrong (401; 403 for Meta's verification GET).</summary>
    public const string InvalidSignature = "INVALID_SIGNATURE";
    public const string NotFound = "NOT_FOUND";
    public const string CampaignNotFound = "CAMPAIGN_NOT_FOUND";
    public const string CustomerNotFound = "CUSTOMER_NOT_FOUND";
    public const string MessageNotFound = "MESSAGE_NOT_FOUND";
    public const string SuppressionNotFound = "SUPPRESSION_NOT_FOUND";
    /// <summary>A campaign asks for AI personalization and no language model is configured (400).</summary>
    public const string AiNotConfigured = "AI_NOT_CONFIGURED";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string CampaignNotSendable = "CAMPAIGN_NOT_SENDABLE";
    public const string DuplicatePhone = "DUPLICATE_PHONE";
    public const string IdempotencyKeyInUse = "IDEMPOTENCY_KEY_IN_USE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UriTooLong = "URI_TOO_LONG";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string RateLimited = "RATE_LIMITED";
    public const string HeadersTooLarge = "HEADERS_TOO_LARGE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";

    /// <summary>The code a bare status gets when the framework (routing, body limits) produced it.</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => InvalidJson,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status414UriTooLong => UriTooLong,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status431RequestHeaderFieldsTooLarge => HeadersTooLarge,
        StatusCodes.Status503ServiceUnavailable => ServiceUnavailable,
        _ => InternalError,
    };

    public static string DefaultMessage(string code) => code switch
    {
        InvalidJson => "The request body is not valid JSON or a member has the wrong type",
        NotFound => "No such route",
        MethodNotAllowed => "The route does not allow this method",
        PayloadTooLarge => "The request body is larger than allowed",
        UriTooLong => "The request line (method, path and query) is longer than allowed",
        HeadersTooLarge => "The request headers are larger or more numerous than allowed",
        UnsupportedMediaType => "The request body must be JSON",
        RateLimited => "Too many requests; retry later",
        ServiceUnavailable => "A backing service is unavailable; retry later",
        Unauthorized => "A valid API key is required",
        _ => "An unexpected error occurred",
    };

    /// <summary><c>CAMPAIGN_NOT_FOUND</c> → <c>/problems/campaign-not-found</c>.</summary>
    public static string TypeUri(string code) => "/problems/" + code.ToLowerInvariant().Replace('_', '-');

    /// <summary><c>CAMPAIGN_NOT_FOUND</c> → <c>Campaign not found</c>.</summary>
    public static string Title(string code)
    {
        var words = code.ToLowerInvariant().Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
