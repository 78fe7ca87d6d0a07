using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StaffLinksAndAuditIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StaffLinks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenHash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StaffLinks_AspNetUsers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action",
                table: "AuditEvents",
                column: "Action");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActorId",
                table: "AuditEvents",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetId",
                table: "AuditEvents",
                column: "TargetId");

            migrationBuilder.CreateIndex(
                name: "IX_StaffLinks_StaffId",
                table: "StaffLinks",
                column: "StaffId");

            migrationBuilder.CreateIndex(
                name: "IX_StaffLinks_TokenHash",
                table: "StaffLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StaffLinks");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_Action",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ActorId",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_TargetId",
                table: "AuditEvents");
        }
    }
}
