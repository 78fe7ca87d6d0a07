using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Action",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ActorId",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_OccurredAt",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_TargetId",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_TargetType_TargetId",
                table: "AuditEvents");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "Action", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorId_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "ActorId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetId_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "TargetId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetType_TargetId_OccurredAt_Id",
                table: "AuditEvents",
                columns: new[] { "TargetType", "TargetId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Access_CreatedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "Access", "CreatedAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys",
                columns: new[] { "CreatedAt", "KeyId" },
                filter: "\"ReplacedByKeyId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Revoked",
                table: "ApiKeys",
                columns: new[] { "CreatedAt", "KeyId" },
                filter: "\"RevokedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Action_OccurredAt_Id",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ActorId_OccurredAt_Id",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_OccurredAt_Id",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_TargetId_OccurredAt_Id",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_TargetType_TargetId_OccurredAt_Id",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Access_CreatedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Revoked",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action",
                table: "AuditEvents",
                column: "Action");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorId",
                table: "AuditEvents",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_OccurredAt",
                table: "AuditEvents",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetId",
                table: "AuditEvents",
                column: "TargetId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetType_TargetId",
                table: "AuditEvents",
                columns: new[] { "TargetType", "TargetId" });
        }
    }
}
