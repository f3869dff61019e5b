using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using ZeroPark.Application;

namespace ZeroPark.Server;

/// <summary>Maps ZeroPark's exception taxonomy to ProblemDetails, in one place.</summary>
public static class ErrorMapping
{
    public static WebApplication UseZeroParkErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async ctx =>
            {
                var ex = ctx.Features.Get<IExceptionHandlerFeature>()?.Error;
                await ToResult(ex).ExecuteAsync(ctx);
            },
            // Expected errors (bad input, unknown names, conflicts) are answers, not faults: don't log them as unhandled.
            SuppressDiagnosticsCallback = c => c.Exception is ValidationException or ZeroPark.Carbon.CarbonException or NotFoundException or ConflictException or BadHttpRequestException,
        });
        return app;
    }

    public static IResult ToResult(Exception? ex) => ex switch
    {
        ValidationException v => Results.ValidationProblem(new Dictionary<string, string[]> { [v.Field] = [v.Message] }, detail: v.Message),
        ZeroPark.Carbon.CarbonException k => Results.ValidationProblem(new Dictionary<string, string[]> { ["carbon"] = [k.Message] }, detail: k.Message),
        NotFoundException n => Results.Problem(n.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        ConflictException c => Results.Problem(c.Message, statusCode: StatusCodes.Status409Conflict, title: "Conflict"),
        BadHttpRequestException b => Results.Problem(b.Message, statusCode: b.StatusCode, title: "Bad request"),
        System.Text.Json.JsonException j => Results.Problem(j.Message, statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON"),
        _ => Results.Problem("an unexpected error occurred", statusCode: StatusCodes.Status500InternalServerError),
    };
}
