import { SwapOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import { errorText } from '../graphql/client';

const AmendTeam = graphql(`
  mutation AmendTeam($inspectionId: ID!, $officerId: ID!, $reason: String!) {
    amendTeam(inspectionId: $inspectionId, officerId: $officerId, reason: $reason) {
      id
      officers {
        id
        name
        department {
          id
          shortName
        }
      }
    }
  }
`);

/**
 * 更换: replaces one officer of a visit's team (illness, a conflict declared after the draw). The
 * server chooses the replacement by the draw's own rule from the pool committed at the opening;
 * nobody picks a name. Shown only where the viewer may (viewerCanAmendTeam).
 */
export function AmendTeamButton({ inspectionId, officer }: { inspectionId: string; officer: { id: string; name: string } }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [amending, amend] = useMutation(AmendTeam);
  return (
    <>
      <Button size="small" type="link" icon={<SwapOutlined />} onClick={() => setOpen(true)} aria-label={`更换${officer.name}`}>
        更换
      </Button>
      <Modal
        open={open}
        title={`更换检查组人员：${officer.name}`}
        okText="按抽取规则更换"
        okButtonProps={{ disabled: !reason.trim(), loading: amending.fetching }}
        onCancel={() => setOpen(false)}
        onOk={async () => {
          if ((await amend({ inspectionId, officerId: officer.id, reason })).data) {
            setOpen(false);
            setReason('');
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          替换人员由系统按本次抽取的规则，从开启时承诺的执法人员库中选出，不能指定。更换连同理由记入抽取记录，任何人复核时都会重放。
        </Typography.Paragraph>
        {amending.error && <Alert type="error" showIcon title={errorText(amending.error)} style={{ marginBottom: 8 }} />}
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="更换理由（如因病、事后申报的利害关系）"
          aria-label="更换理由"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  );
}
