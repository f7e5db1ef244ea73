import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getFile } from '../../api/storage';
import { downloadToBinary } from '../../files/download';
import { sanitiseFileName } from '../../files/fileName';
import type { RunContext } from '../../helpers/context';
import { quote } from '../../transport/errors';

/** A stored file record's signed link (`downloadUrl`, or `download_url` as the SDK types it). */
export function linkOf(file: IDataObject): string | undefined {
	const link = file.downloadUrl ?? file.download_url;
	return typeof link === 'string' && link !== '' ? link : undefined;
}

/**
 * Streams a stored file into n8n binary data through the shared download module (key only to the
 * Base URL's origin, bounded, Stop obeyed); an expired signed link is renewed once by reading the
 * file again.
 */
export async function downloadStoredFile(context: IExecuteFunctions, run: RunContext, file: IDataObject, itemIndex: number): Promise<IBinaryData> {
	const url = linkOf(file);
	const name = typeof file.filename === 'string' ? file.filename : undefined;
	if (!url) {
		throw new NodeOperationError(context.getNode(), `Convertly gave no download link for stored file ${quote(name ?? String(file.id))}`, { itemIndex });
	}
	const size = typeof file.size_bytes === 'number' ? file.size_bytes : undefined;
	const mimeType = typeof file.mime_type === 'string' ? file.mime_type : typeof file.mimeType === 'string' ? file.mimeType : undefined;
	return await downloadToBinary(
		context,
		run.client,
		{ url, filename: name, mimeType, size, kind: 'stored file', name: quote(sanitiseFileName(name, 'file')), fallbackName: 'file' },
		{ itemIndex, freshUrl: async () => linkOf(await getFile(run.client, String(file.id), { itemIndex })) },
	);
}
