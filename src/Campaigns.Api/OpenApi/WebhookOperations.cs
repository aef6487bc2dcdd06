using System.Text.Json.Nodes;
using Campaigns.Api.Errors;
using Campaigns.Api.Webhooks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// The provider webhooks as providers call them (api.md, "Provider webhooks"): no API key, each
/// provider's proof of origin as a parameter, form-encoded or JSON bodies read by the handlers themselves,
/// and every answer they give. <see cref="ErrorResponses"/> adds the public operations' own (414, 429,
/// 431, 500) and the problem body of each error.
/// </summary>
public static class WebhookOperations
{
    private const string FormMediaType = WebhookForm.MediaType;

    public static Task TwilioStatus(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation, [TwilioSignatureHeader(), Query("key", false,
            "What the worker put in the StatusCallback URL (the message's idempotency key): covered by the signature, otherwise unread")],
            Form(
                ("MessageSid", true, "Twilio's message id (SM… or MM…), as recorded when Twilio accepted the message"),
                ("MessageStatus", true, "sent, delivered, undelivered, failed (ErrorCode 30036: expired), read; queued, accepted, scheduled, "
                    + "sending, canceled and any other are recorded only"),
                ("ErrorCode", false, "Twilio's error code, kept as the message's error_code"),
                ("AccountSid", false, null), ("From", false, null), ("To", false, null)),
            Signed("X-Twilio-Signature is missing or does not match the public URL (Webhooks:PublicBaseUrl, the path and query) and the form"),
            "Twilio (Providers:Twilio:AuthToken)", ("204", NoContent("Stored")));
        return Task.CompletedTask;
    }

    public static Task TwilioInbound(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation, [TwilioSignatureHeader()],
            Form(
                ("MessageSid", true, "Twilio's id of the incoming message: posted again, it is stored once"),
                ("From", true, "The sender in E.164; whatsapp:+… for WhatsApp (the channel is then whatsapp)"),
                ("To", false, "Our number that received it, whatsapp:+… for WhatsApp"),
                ("Body", false, "The text (empty for media only)"),
                ("AccountSid", false, null), ("NumMedia", false, null)),
            Signed("X-Twilio-Signature is missing or does not match the public URL (Webhooks:PublicBaseUrl, the path and query) and the form"),
            "Twilio (Providers:Twilio:AuthToken)", ("200", new OpenApiResponse
            {
                Description = "Stored; an empty TwiML answer, so Twilio replies nothing itself (replies go through the provider API)",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [TwilioWebhooks.TwimlMediaType] = new() { Schema = Text(), Example = JsonValue.Create(TwilioWebhooks.EmptyTwiml) },
                },
            }));
        return Task.CompletedTask;
    }

    public static Task AfricasTalkingDelivery(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation, [TokenQuery()],
            Form(
                ("id", true, "Africa's Talking's message id (ATXid_…), as recorded when it accepted the message"),
                ("status", true, "Success (delivered), Failed or Rejected (undelivered), Sent, Buffered or Submitted (sent); any other is recorded only"),
                ("failureReason", false, "Kept as the message's error_code; UserInBlackList with Failed or Rejected also suppresses the phone"),
                ("phoneNumber", false, null), ("networkCode", false, null), ("retryCount", false, null)),
            Signed("token is missing or wrong"), "Africa's Talking (Providers:AfricasTalking:WebhookToken)", ("204", NoContent("Stored")));
        return Task.CompletedTask;
    }

    public static Task AfricasTalkingInbound(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation, [TokenQuery()],
            Form(
                ("id", true, "Africa's Talking's id of the incoming message: posted again, it is stored once"),
                ("from", true, "The sender in E.164"),
                ("to", false, "Our short code or number that received it"),
                ("text", false, "The text"),
                ("date", false, null), ("linkId", false, null), ("networkCode", false, null)),
            Signed("token is missing or wrong"), "Africa's Talking (Providers:AfricasTalking:WebhookToken)", ("204", NoContent("Stored")));
        return Task.CompletedTask;
    }

    public static Task WhatsAppVerification(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation,
            [
                Query(WhatsAppWebhooks.ModeParameter, true, "Always subscribe",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("subscribe")] }),
                Query(WhatsAppWebhooks.VerifyTokenParameter, true, "The verify token set in the Meta app (Providers:WhatsAppCloud:VerifyToken)"),
                Query(WhatsAppWebhooks.ChallengeParameter, true, "Answered back as the body"),
            ],
            body: null, refusal: null, "WhatsApp Cloud's verification (Providers:WhatsAppCloud:VerifyToken)",
            ("200", new OpenApiResponse
            {
                Description = "The subscription is verified: the challenge, as sent",
                Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = Text() } },
            }),
            ("400", Problem($"{ErrorCodes.ValidationError}: hub.challenge is missing")),
            ("403", Problem($"{ErrorCodes.InvalidSignature}: hub.mode is not subscribe or hub.verify_token is wrong")));
        return Task.CompletedTask;
    }

    public static Task WhatsAppNotification(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        Describe(operation,
            [Header(MetaSignature.HeaderName, "sha256= and the lowercase hex HMAC-SHA256 of the raw body, keyed with the app secret",
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^sha256=[0-9a-fA-F]{64}$" })],
            new OpenApiRequestBody
            {
                Required = true,
                Description = "A WhatsApp Cloud API notification; members not named here are ignored",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = WhatsAppNotificationSchema() } },
            },
            Signed($"{MetaSignature.HeaderName} is missing or does not match the body"),
            "WhatsApp Cloud (Providers:WhatsAppCloud:AppSecret)",
            ("200", new OpenApiResponse { Description = "Stored: every status as a receipt, every incoming message with text" }),
            ("400", Problem($"{ErrorCodes.InvalidJson} (the body is not JSON, or a member has the wrong type) or "
                + $"{ErrorCodes.ValidationError} (a status or message lacks its id, status or from, or a timestamp is not Unix seconds)")));
        return Task.CompletedTask;
    }

    /// <param name="refusal">The 401 of a missing or wrong proof; null for the verification GET, whose refusal is its 403.</param>
    /// <param name="provider">Who must be configured, else 404.</param>
    private static void Describe(OpenApiOperation operation, IList<IOpenApiParameter> parameters, OpenApiRequestBody? body,
        OpenApiResponse? refusal, string provider, params (string Status, OpenApiResponse Response)[] answers)
    {
        operation.Security = [];
        operation.Parameters = parameters;
        operation.RequestBody = body;
        operation.Responses = [];
        foreach (var (status, response) in answers)
        {
            operation.Responses[status] = response;
        }
        if (body is not null)
        {
            operation.Responses.TryAdd("400", Problem($"{ErrorCodes.ValidationError}: the body is not {FormMediaType}, or a required field is "
                + "missing (`errors` names it)"));
            operation.Responses["413"] = Problem(null);
            // The inbox is in Postgres.
            operation.Responses["503"] = Problem(null);
        }
        if (refusal is not null)
        {
            operation.Responses["401"] = refusal;
        }
        operation.Responses["404"] = Problem($"{ErrorCodes.NotFound}: {provider} is not configured here");
    }

    private static OpenApiResponse Signed(string why) => Problem($"{ErrorCodes.InvalidSignature}: {why}; nothing is stored");

    /// <summary>An error answer; <see cref="ErrorResponses"/> gives it the problem body (and a description when it has none).</summary>
    private static OpenApiResponse Problem(string? description) => new() { Description = description };

    private static OpenApiResponse NoContent(string description) => new() { Description = description };

    private static OpenApiParameter TwilioSignatureHeader() =>
        Header(TwilioSignature.HeaderName, "Base64 HMAC-SHA1, keyed with the auth token, of the public URL followed by each form field's name and value sorted by name",
            Text());

    private static OpenApiParameter TokenQuery() =>
        Query(AfricasTalkingWebhooks.TokenParameter, true, "The token of the URL registered with Africa's Talking (Providers:AfricasTalking:WebhookToken); redacted from logs and traces");

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = schema,
    };

    private static OpenApiParameter Query(string name, bool required, string? description, OpenApiSchema? schema = null) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Required = required,
        Description = description,
        Schema = schema ?? Text(),
    };

    /// <summary>A form-encoded body of text fields; providers send more than these, which are covered by the proof and otherwise unread.</summary>
    private static OpenApiRequestBody Form(params (string Name, bool Required, string? Description)[] fields) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [FormMediaType] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = fields.ToDictionary(field => field.Name, field => (IOpenApiSchema)Text(field.Description)),
                    Required = new HashSet<string>(fields.Where(field => field.Required).Select(field => field.Name)),
                },
            },
        },
    };

    private static OpenApiSchema Text(string? description = null) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema ArrayOf(OpenApiSchema items) => new() { Type = JsonSchemaType.Array, Items = items };

    private static OpenApiSchema ObjectOf(string[] required, params (string Name, IOpenApiSchema Schema)[] members) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = members.ToDictionary(member => member.Name, member => member.Schema),
        Required = new HashSet<string>(required),
    };

    /// <summary>What <see cref="WhatsAppNotification"/> reads of Meta's notification.</summary>
    private static OpenApiSchema WhatsAppNotificationSchema()
    {
        var timestamp = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[0-9]+$", Description = "Unix seconds" };
        var status = ObjectOf(["id", "status"],
            ("id", Text("The message id Meta gave when it accepted the message (wamid.…)")),
            ("status", Text("sent, delivered, read, failed (undelivered); any other is recorded only")),
            ("timestamp", timestamp),
            ("recipient_id", Text()),
            ("errors", ArrayOf(ObjectOf([], ("code", new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The first is kept as error_code" }),
                ("title", Text())))));
        var message = ObjectOf(["id", "from"],
            ("id", Text("Meta's id of the incoming message: posted again, it is stored once")),
            ("from", Text("The sender, international without +")),
            ("timestamp", timestamp),
            ("type", Text("text, button, interactive (stored with their text); other kinds carry no text and are not stored")),
            ("text", ObjectOf([], ("body", Text()))));
        var value = ObjectOf([],
            ("messaging_product", Text()),
            ("metadata", ObjectOf([], ("display_phone_number", Text("Our number, which received the messages")), ("phone_number_id", Text()))),
            ("statuses", ArrayOf(status)),
            ("messages", ArrayOf(message)));
        return ObjectOf([],
            ("object", Text("whatsapp_business_account")),
            ("entry", ArrayOf(ObjectOf([], ("id", Text()), ("changes", ArrayOf(ObjectOf([], ("field", Text()), ("value", value))))))));
    }
}
