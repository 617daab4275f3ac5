import { Button, Space, Typography } from 'antd';
import type { useCursorPages } from './use-cursor-pages';

/** 上一页 / 第 N 页 / 下一页 for a keyset-paginated list. */
export function CursorPager({
  pages,
  pageInfo,
}: {
  pages: ReturnType<typeof useCursorPages>;
  pageInfo?: { endCursor?: string | null; hasNextPage: boolean };
}) {
  return (
    <Space>
      <Button disabled={pages.page === 1} onClick={pages.previous}>
        上一页
      </Button>
      <Typography.Text>第 {pages.page} 页</Typography.Text>
      <Button disabled={!pageInfo?.hasNextPage} onClick={() => pages.next(pageInfo?.endCursor)}>
        下一页
      </Button>
    </Space>
  );
}
