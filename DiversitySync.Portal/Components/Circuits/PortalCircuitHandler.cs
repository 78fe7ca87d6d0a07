using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DiversitySync.Portal.Components.Circuits;

/// <summary>
/// Registers each circuit with <see cref="OpenCircuits"/> while it is connected, and notes the person's activity on it.
/// </summary>
public sealed class PortalCircuitHandler(PortalCircuit circuit, OpenCircuits open) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit c, CancellationToken cancellationToken)
    {
        open.Add(circuit);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit c, CancellationToken cancellationToken)
    {
        open.Remove(circuit);
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            circuit.Touch();
            return next(context);
        };
}
