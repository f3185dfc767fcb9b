import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_BASE, PROBLEM_CONTENT_TYPE } from './problem';

type UnparsableProblem = { slug: string; status: number; title: string; detail: string };

const PROBLEMS: Record<string, UnparsableProblem> = {
  HPE_HEADER_OVERFLOW: {
    slug: 'headers-too-large',
    status: 431,
    title: 'En-têtes trop volumineux',
    detail: 'Les en-têtes ou l’adresse de la requête dépassent 16 Ko. Un cookie ou un jeton trop long ? Videz les cookies du site, ou passez les critères de recherche en plusieurs fois.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { slug: 'request-timeout', status: 408, title: 'Requête trop lente', detail: 'La requête n’est pas arrivée à temps. Réessayez.' },
};
const MALFORMED: UnparsableProblem = { slug: 'malformed-request', status: 400, title: 'Requête mal formée', detail: 'La requête HTTP ne peut pas être lue (en-tête ou ligne de requête invalide).' };

/**
 * Node answers a request it cannot parse (headers over 16 KB, a broken header line) before
 * Express sees it, with a bare status line. Every other error of the API is a problem document;
 * this makes these ones too, as Node's own handler would otherwise do.
 */
export function answerUnparsableRequestsWithProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: { headersSent?: boolean } }) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const { slug, ...problem } = PROBLEMS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify({ type: PROBLEM_BASE + slug, ...problem });
    socket.end(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
