import type { FormInstance } from 'antd';
import { useState } from 'react';
import { errorText, fieldError } from '../graphql/client';

/**
 * A record form's refusal: the server's message above the fields (`failure`, for FormModal) and
 * its reason beside the field it names. `fieldOf` maps the API's field name to the form's where
 * they differ.
 */
export function useRefusal<V>(form: FormInstance<V>, fieldOf: (apiField: string) => string = (field) => field) {
  const [failure, setFailure] = useState<string | null>(null);
  const refuse = (error: Parameters<typeof errorText>[0] & Parameters<typeof fieldError>[0]) => {
    const named = fieldError(error);
    if (named) form.setFields([{ name: fieldOf(named.field) as never, errors: [named.reason] }]);
    setFailure(errorText(error));
  };
  return { failure, refuse };
}
