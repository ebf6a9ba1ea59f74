import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OAuthError, TokenService, type TokenResponse } from './token.service';

@Controller('connect')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  /** Accepts form-encoded (the OAuth2 norm) and JSON bodies; errors follow RFC 6749 §5.2. */
  @Post('token')
  @HttpCode(200)
  async token(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | { error: string; error_description: string }> {
    // Tokens must never be cached by intermediaries (RFC 6749 §5.1).
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const params = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    try {
      return await this.tokens.issue(params);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      reply.status(400);
      return { error: err.error, error_description: err.description };
    }
  }
}
